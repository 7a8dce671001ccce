"""What the pictures show and where, without Qt: the window, the PDF and the CLI paint it."""
