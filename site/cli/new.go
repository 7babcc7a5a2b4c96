package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"charter/site"
)

// now is the clock of the new command; tests replace it.
var now = time.Now

func runNew(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	source := fs.String("source", ".", "the site's root `folder`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: charter new [--source DIR] PATH\n\nStarts a draft page at content/PATH, such as faqs/elections.md.\nA PATH ending in / starts a section: content/PATH/_index.md.\n\nFlags:\n")
		printFlags(fs)
	}
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "charter new: give one path, such as faqs/elections.md")
		return 2
	}
	arg, err := insideContent(*source, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "charter new: %v\n", err)
		return 2
	}
	rel, err := newPagePath(arg)
	if err != nil {
		fmt.Fprintf(stderr, "charter new: %v\n", err)
		return 2
	}
	file := filepath.Join(*source, "content", filepath.FromSlash(rel))
	if _, err := os.Stat(file); err == nil {
		fmt.Fprintf(stderr, "%s already exists; open it in your editor, or choose another name\n", filepath.ToSlash(filepath.Join("content", rel)))
		return 1
	}
	title := titleFromName(rel)
	day := now().Format("2006-01-02")
	text := fmt.Sprintf("---\ntitle: %q\ndescription: \"\"\ndate: %s\nlastmod: %s\ndraft: true\n---\nWrite the page here. Start with the most important thing.\n", title, day, day)
	code, orig, isTranslation := site.TranslationOf(rel)
	if isTranslation {
		if text, err = translationStart(*source, orig); err != nil {
			fmt.Fprintf(stderr, "charter new: %v\n", err)
			return 1
		}
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		fmt.Fprintf(stderr, "cannot create %s: %v\n", filepath.Dir(file), err)
		return 1
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil {
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "cannot write %s: %v\n", file, err)
		return 1
	}
	// The build's URL, escaped as a browser must ask for it (a ? or #
	// in a file name is part of the path).
	urlPath := (&url.URL{Path: site.PageURL(rel)}).EscapedPath()
	if isTranslation {
		urlPath = (&url.URL{Path: "/" + code + site.PageURL(orig)}).EscapedPath()
		fmt.Fprintf(stdout, "Created %s (a draft), with the front matter of content/%s: translate its title and description, and write the page.\n", filepath.ToSlash(filepath.Join("content", rel)), orig)
	} else {
		fmt.Fprintf(stdout, "Created %s (a draft).\n", filepath.ToSlash(filepath.Join("content", rel)))
	}
	fmt.Fprintf(stdout, "Preview it with charter serve at http://127.0.0.1:1313%s\n", urlPath)
	return 0
}

// insideContent turns an absolute PATH, or one with .. in it, into a
// path relative to the content folder of the site at source, and leaves
// any other as it is (relative to content/ already). A PATH with ..
// counts from content/, as any PATH does, or else from the current
// folder, as a shell completes it. A PATH that ends up outside content/
// is an error: charter new once wrote /tmp/x.md as content/tmp/x.md.
func insideContent(source, arg string) (string, error) {
	slashed := filepath.ToSlash(arg)
	if !filepath.IsAbs(arg) && !slices.Contains(strings.Split(slashed, "/"), "..") {
		return arg, nil
	}
	content, err := filepath.Abs(filepath.Join(source, "content"))
	if err != nil {
		return "", err
	}
	tries := []string{arg}
	if !filepath.IsAbs(arg) {
		tries = []string{filepath.Join(content, strings.TrimPrefix(slashed, "content/")), arg}
	}
	for _, try := range tries {
		abs, err := filepath.Abs(try)
		if err != nil {
			continue
		}
		// The same folder may be reached through a symbolic link on one
		// side (/tmp and /private/tmp on macOS).
		for _, c := range [][2]string{{content, abs}, {realPath(content), realPath(abs)}} {
			if rel, err := filepath.Rel(c[0], c[1]); err == nil && rel != "." && filepath.IsLocal(rel) {
				rel = filepath.ToSlash(rel)
				if strings.HasSuffix(slashed, "/") {
					rel += "/"
				}
				return rel, nil
			}
		}
	}
	example := "faqs/" + path.Base(slashed)
	if path.Ext(example) != ".md" {
		example = "faqs/elections.md"
	}
	return "", fmt.Errorf("%s is outside content/ (%s), where pages live; write a path inside it, such as %s", arg, content, example)
}

// realPath is absolute path p with the symbolic links of its longest
// existing part followed, the rest as written.
func realPath(p string) string {
	rest := ""
	for dir := p; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest)
		}
		if filepath.Dir(dir) == dir {
			return p
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// newPagePath turns the user's PATH into a file inside content/.
func newPagePath(arg string) (string, error) {
	p := strings.TrimPrefix(filepath.ToSlash(arg), "./")
	p = strings.TrimPrefix(p, "content/")
	dir := strings.HasSuffix(p, "/") || path.Ext(p) == ""
	p = path.Clean("/" + p)[1:]
	if p == "" || !fs.ValidPath(p) || strings.Contains(arg, "..") {
		return "", fmt.Errorf("%q is not a path inside content/", arg)
	}
	for _, el := range strings.Split(p, "/") {
		if site.IgnoredName(el) {
			return "", fmt.Errorf("the build skips %q, taking it for an editor's or the system's file, so the page would never be published; choose a name that does not start with . or # and does not end in ~, #, .tmp, .bak or .swp", el)
		}
	}
	if dir {
		return p + "/_index.md", nil
	}
	if path.Ext(p) != ".md" {
		return "", fmt.Errorf("%q is not a Markdown file; end the name with .md", arg)
	}
	if path.Base(p) == "index.md" {
		if path.Dir(p) == "." {
			return "", fmt.Errorf("%q would have the address of the home page (content/_index.md); give the page another name", arg)
		}
		return "", fmt.Errorf("%q would have the address of its folder, which is the section page's (_index.md); give the page another name, or write %s/ to start the section's page", arg, path.Dir(p))
	}
	return p, nil
}

// titleFromName makes "data-sharing/legal-guidance.md" into
// "Legal guidance".
func titleFromName(rel string) string {
	name := strings.TrimSuffix(path.Base(rel), ".md")
	if name == "_index" {
		name = path.Base(path.Dir(rel))
	}
	name = strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || unicode.IsSpace(r) }), " ")
	r := []rune(name)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}
