"""The procedure handbook rendered: HTML (a fragment for the page, a whole file) and PDF (WeasyPrint)."""
