package serve

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"path"
	"sync"
)

// A File is the content of a file the server serves. Text (HTML, CSS,
// JavaScript, JSON, XML, SVG) is kept compressed: the pages of a large
// site, held in memory for as long as the preview runs, then take about a
// sixth of the room. Files of other kinds, such as images, are kept as
// they are. The zero File is empty.
type File struct {
	data   []byte // the content, DEFLATE-compressed when packed
	size   int    // the length of the content
	packed bool
}

// Size is the length of the file's content.
func (f File) Size() int { return f.size }

// Equal reports whether f and g have the same content. Packing is
// deterministic (one level, a writer reset for each file), so equal
// contents pack to equal bytes.
func (f File) Equal(g File) bool {
	return f.size == g.size && f.packed == g.packed && bytes.Equal(f.data, g.data)
}

// Bytes returns the file's content.
func (f File) Bytes() ([]byte, error) {
	if !f.packed {
		return f.data, nil
	}
	out := bytes.NewBuffer(make([]byte, 0, f.size))
	r := flate.NewReader(bytes.NewReader(f.data))
	defer r.Close()
	if _, err := io.Copy(out, r); err != nil {
		return nil, fmt.Errorf("unpack: %w", err)
	}
	if out.Len() != f.size {
		return nil, fmt.Errorf("unpack: %d bytes, want %d", out.Len(), f.size)
	}
	return out.Bytes(), nil
}

// minPacked is the size below which a file is kept as it is: packing it
// would save little, or nothing.
const minPacked = 512

// packedExts are the extensions of the files worth packing: text.
var packedExts = map[string]bool{
	".html": true, ".htm": true, ".css": true, ".js": true, ".mjs": true, ".json": true,
	".xml": true, ".svg": true, ".txt": true, ".map": true, ".webmanifest": true,
}

// A Packer makes Files, reusing its compressors. The zero Packer is
// ready; it is safe for concurrent use.
type Packer struct {
	writers sync.Pool // of *flate.Writer
}

// Pack returns the file name with the content data, which it copies: the
// caller may reuse data.
func (p *Packer) Pack(name string, data []byte) File {
	if len(data) < minPacked || !packedExts[path.Ext(name)] {
		return File{data: bytes.Clone(data), size: len(data)}
	}
	var buf bytes.Buffer
	buf.Grow(len(data)/4 + 64)
	w, _ := p.writers.Get().(*flate.Writer)
	if w == nil {
		w, _ = flate.NewWriter(&buf, flate.BestSpeed) // cannot fail at a valid level
	} else {
		w.Reset(&buf)
	}
	_, _ = w.Write(data) // a bytes.Buffer does not fail
	_ = w.Close()
	p.writers.Put(w)
	return File{data: bytes.Clone(buf.Bytes()), size: len(data), packed: true}
}

// PackAll packs every file of files, by name.
func PackAll(files map[string][]byte) map[string]File {
	var p Packer
	out := make(map[string]File, len(files))
	for name, data := range files {
		out[name] = p.Pack(name, data)
	}
	return out
}
