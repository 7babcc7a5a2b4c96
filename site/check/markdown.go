package check

// A Block is a run of prose in a page's Markdown, as the Markdown parser
// that rendered the page found it: a paragraph, a list item's text, a
// heading or a definition term, wherever it sits (in quotes, lists,
// footnotes). Code, HTML blocks and tables are not prose. Its lines hold
// the text a reader sees, without inline syntax.
type Block struct {
	Heading int    // 1 to 6 for a heading, else 0
	Line    int    // the source file line the block starts on
	Title   string // a heading's whole text, to find it in the HTML
	Lines   []BlockLine
}

// A BlockLine is the prose of a block on one line of the source file.
type BlockLine struct {
	Line int
	Text string
}
