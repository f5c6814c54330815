"""Reading one return file: sheets, cell facts, values, the table layout, the rows of each form."""
