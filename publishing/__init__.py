"""Publishing the book: the links to it, the HTML book, the coursework edition and grading."""
