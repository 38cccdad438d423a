"""Format readers: PDF and DOCX files in, a neutral `Grid` out."""
