"""The parts of a letter, each a paragraph style of its template: the shipped templates are made
with them (make_templates.py), and a rendered letter is read back by them (render.py), so a
template edited in Word keeps its layout in the PDF as long as its paragraphs keep their styles.
A paragraph of any other style is body text."""

from __future__ import annotations

LETTERHEAD = "Letterhead"  # the NCP's name, then its address lines
RECIPIENT = "Recipient"  # the recipient's name, then its address lines
DATE = "Letter Date"
REFERENCE = "Reference"  # "Our reference: NCP-2025-001"
SUBJECT = "Subject"  # the first one is the subject; an edited letter's first paragraph
BODY = "Normal"
QUOTE = "Quote"  # a quoted passage: a deadline's explanation
SIGNATURE = "Signature"  # who signs, one line each
PARTS = (LETTERHEAD, RECIPIENT, DATE, REFERENCE, SUBJECT, QUOTE, SIGNATURE)
