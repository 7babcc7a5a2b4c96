package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"path"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2/styles"
)

// assetMap maps static files to their fingerprinted names and their
// Subresource Integrity hashes. A Builder fills it before pages render;
// layouts read it through relURL and integrity.
type assetMap struct {
	mu     sync.RWMutex
	hashed map[string]string // "/css/site.css" -> "/css/site.3f2a9c1e.css"
	sri    map[string]string // "/css/site.css" -> "sha384-…"
}

func (a *assetMap) reset() {
	a.mu.Lock()
	a.hashed, a.sri = map[string]string{}, map[string]string{}
	a.mu.Unlock()
}

func (a *assetMap) set(orig, hashed, sri string) {
	a.mu.Lock()
	a.hashed[orig], a.sri[orig] = hashed, sri
	a.mu.Unlock()
}

// lookup returns the published path of a site path.
func (a *assetMap) lookup(p string) string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if h, ok := a.hashed[p]; ok {
		return h
	}
	return p
}

// integrity is the SRI hash of a static file, or "" when the build does
// not fingerprint (the preview server).
func (a *assetMap) integrity(p string) string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.sri["/"+strings.TrimPrefix(p, "/")]
}

// fingerprinted reports the static files whose names get a content hash:
// they can then be cached for a year.
func fingerprinted(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".css", ".js", ".mjs", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".woff", ".woff2":
		return true
	}
	return false
}

// hashedName puts a short content hash before the extension:
// "/css/site.css" -> "/css/site.3f2a9c1e.css".
func hashedName(p string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(p)
	return strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:4]) + ext
}

func sriHash(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// writeStatic minifies and writes static files (and the code stylesheet),
// fingerprinting them when the build asks for it. It runs before pages
// render, so that pages link the published names.
func (r *pageRenderer) writeStatic(ctx context.Context, files []string, withChroma bool) Errors {
	type item struct {
		name string // site path: "/css/site.css"
		data []byte
		err  *Error
	}
	items := make([]item, len(files)+1)
	parallel(ctx, len(files), func(i int) {
		defer func() {
			if v := recover(); v != nil {
				items[i] = item{name: "/" + assetOutput(files[i]), err: internalError(files[i], "minifying", v)}
			}
		}()
		data, err := readInput(r.b.fsys, files[i])
		items[i].name = "/" + assetOutput(files[i])
		if err != nil {
			items[i].err = readError(files[i], err, "")
			return
		}
		items[i].data = r.minified(items[i].name, data)
	})
	if withChroma {
		var css bytes.Buffer
		_ = codeFormatter.WriteCSS(&css, styles.Get(highlightStyle))
		items[len(files)] = item{name: chromaCSS, data: r.minified(chromaCSS, css.Bytes())}
	}
	var errs Errors
	for _, it := range items {
		if it.err != nil {
			errs = append(errs, it.err)
			continue
		}
		if it.data == nil {
			continue
		}
		name := it.name
		if r.b.cfg.Fingerprint && fingerprinted(name) {
			name = hashedName(name, it.data)
			r.b.assets.set(it.name, name, sriHash(it.data))
		}
		errs = append(errs, r.writeRaw(strings.TrimPrefix(name, "/"), it.data)...)
	}
	return errs
}

// minified returns data minified for its type, when the build minifies
// and the type is one minify knows; else data itself.
func (r *pageRenderer) minified(name string, data []byte) []byte {
	mt := mediaType(name)
	if !r.b.cfg.Minify || mt == "" {
		return data
	}
	var b bytes.Buffer
	if err := r.b.min.Minify(mt, &b, bytes.NewBuffer(data)); err != nil {
		return data // a file minify cannot parse is published as written
	}
	if b.Len() == 0 {
		return []byte{} // not nil: a file minified to nothing is still published
	}
	return b.Bytes()
}
