package site

import "encoding/binary"

// nameList is a list of file names packed one after the other, each as
// the length of the prefix it shares with the name before it and the
// rest: a varint of the shared length, a varint of the rest's length, and
// the rest. A build holds the names of every file it writes until its
// end, and these share most of their text with the name written before
// them ("area-1999/page-048/index.html", "area-1999/page-049/index.html"):
// about 15 bytes a name rather than 90 at 100,000 pages.
type nameList struct {
	b    []byte
	last string // the last name added
}

// add appends name to the list.
func (l *nameList) add(name string) {
	n := 0
	for n < len(name) && n < len(l.last) && name[n] == l.last[n] {
		n++
	}
	l.b = binary.AppendUvarint(l.b, uint64(n))
	l.b = binary.AppendUvarint(l.b, uint64(len(name)-n))
	l.b = append(l.b, name[n:]...)
	l.last = name
}

// each calls f with every name, in the order they were added.
func (l *nameList) each(f func(name string)) {
	var prev []byte
	for b := l.b; len(b) > 0; {
		shared, k := binary.Uvarint(b)
		b = b[k:]
		n, k := binary.Uvarint(b)
		b = b[k:]
		prev = append(prev[:shared], b[:n]...)
		b = b[n:]
		f(string(prev))
	}
}
