"""Documents assembled from gap tables, figures and text: the quarterly briefing (.docx, PDF)."""
