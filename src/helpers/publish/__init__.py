"""What people read: figures, the rendered review, the Word draft, the workbook, the index, blank forms."""
