package site

import "bytes"

// A PageOutput is an Output that is told which page each page file is
// of, such as check's, which checks each page as it is written instead of
// holding every page's HTML. The build calls WritePage instead of
// WriteFile for the HTML file of each page it renders from AllPages; other
// files (static files, the 404 pages, redirects, the search index) still
// go through WriteFile.
type PageOutput interface {
	Output
	// WritePage stores data as the file name, as WriteFile does, and
	// tells that it is page p's. It is called on the goroutine that
	// rendered p, right after: p's fields are read-only, and the links
	// and prose the render set (p.Links, p.Prose) are handed over: a
	// build that is not for the preview lets them go once WritePage
	// returns.
	WritePage(p *Page, name string, data []byte) error
}

// writeOf minifies (when enabled) and writes one output file: page p's,
// or when p is nil another file.
func (r *pageRenderer) writeOf(p *Page, name string, data []byte, tmp *bytes.Buffer) Errors {
	if mt := mediaType(name); r.b.cfg.Minify && mt != "" {
		tmp.Reset()
		// A Buffer, which minify reads without copying.
		if err := r.b.min.Minify(mt, tmp, bytes.NewBuffer(data)); err != nil {
			return Errors{errorf(name, 0, "cannot minify the output: %v", err)}
		}
		data = tmp.Bytes()
	}
	return r.writeRawOf(p, name, data)
}

// writeRawOf writes one output file as it is: page p's, or when p is nil
// another file.
func (r *pageRenderer) writeRawOf(p *Page, name string, data []byte) Errors {
	var err error
	if po, ok := r.out.(PageOutput); ok && p != nil {
		err = po.WritePage(p, name, data)
		if !r.b.cfg.Serve {
			p.Links, p.Prose = nil, nil
		}
	} else {
		err = r.out.WriteFile(name, data)
	}
	if err != nil {
		return Errors{&Error{Msg: err.Error()}}
	}
	r.mu.Lock()
	r.wrote.add(name)
	r.mu.Unlock()
	return nil
}
