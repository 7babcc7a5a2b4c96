// Package cli is the charter command: flags, dispatch and what the
// command prints. main.go only calls Run.
package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"charter/site"
	"charter/site/search"
)

const usage = `charter builds the people's rights site.

Usage:
  charter [build] [flags]   build the site into public/ (the default)
  charter serve [flags]     preview the site while you edit it
  charter new PATH          start a new page (or a section, for a folder)
  charter check [flags]     build in memory and check links and accessibility
  charter version           print the version

Run "charter COMMAND --help" for a command's flags.
`

// commands are the command names, for suggestions.
var commands = []string{"build", "serve", "new", "check", "version", "help"}

// Run is the whole command; it returns the exit status: 0 for success, 1
// for errors in the site, 2 for a usage error. Cancelling ctx (Ctrl-C)
// stops a build or the preview server cleanly.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "internal error: %v\nThis is a bug in the tool, not in your site; please report it with the command you ran.\n", r)
			code = 1
		}
	}()
	cmd := "build"
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			cmd = "help"
		case "-version", "--version":
			cmd = "version"
		}
	}
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "build":
		return runBuild(ctx, args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "new":
		return runNew(args, stdout, stderr)
	case "check":
		return runCheck(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "charter", version())
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "charter: unknown command %q", cmd)
	if near := nearest(cmd, commands); near != "" {
		fmt.Fprintf(stderr, "; did you mean %s?", near)
	}
	fmt.Fprintf(stderr, "\n\n%s", usage)
	return 2
}

// nearest is the name in names closest to s, when it is close enough to
// be a slip: "server" for serve, "biuld" for build.
func nearest(s string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		d := editDistance(strings.ToLower(s), n)
		if strings.HasPrefix(n, strings.ToLower(s)) && len(s) >= 2 {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (with adjacent
// transpositions) between a and b.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// version is the module version, or for a build from a checkout, the
// commit and its date; with the Go version that built it.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	return formatVersion(info)
}

// formatVersion says which build info describes.
func formatVersion(info *debug.BuildInfo) string {
	v := info.Main.Version
	var rev, at, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", with uncommitted changes"
			}
		}
	}
	switch {
	case rev != "" && (v == "" || v == "(devel)"):
		v = "commit " + rev
		if at != "" {
			v += " of " + at
		}
		v += modified
	case v == "" || v == "(devel)":
		v = "development build (no version control information: build it with go build in a git checkout)"
	}
	return fmt.Sprintf("%s, %s", v, info.GoVersion)
}

// siteFlags are the flags that say which site to build and how.
type siteFlags struct {
	source  string
	baseURL string
	drafts  bool
	timeout time.Duration
	root    *os.Root // the source folder, opened by parse
	cache   *site.DirCacheFS
}

// fsys is the site's files. Reads through it never leave the source
// folder: a symbolic link that leads out of it, even one made while a
// build runs, fails to read.
func (f *siteFlags) fsys() iofs.FS { return f.root.FS() }

// oneBuildFS is the site's files for a command that builds once (build,
// check): the same files as fsys, read with fewer system calls, but a
// folder renamed during the command may still be read under its old name.
func (f *siteFlags) oneBuildFS() iofs.FS {
	if f.cache == nil {
		f.cache = site.NewDirCacheFS(f.root)
	}
	return f.cache
}

// close closes the source folder opened by parse.
func (f *siteFlags) close() {
	if f.cache != nil {
		f.cache.Close()
	}
	if f.root != nil {
		f.root.Close()
	}
}

// checkBaseURL refuses a --base-url that is neither a path nor a full
// URL, such as example.org, which would otherwise become the path
// /example.org/ in front of every link.
func (f *siteFlags) checkBaseURL() error {
	u := f.baseURL
	if u == "" || strings.HasPrefix(u, "/") || strings.Contains(u, "://") {
		return nil
	}
	return fmt.Errorf("--base-url %q is neither a path nor a full URL; write a path such as --base-url /rights/ or a full URL such as --base-url https://%s", u, strings.TrimSuffix(u, "/")+"/")
}

func (f *siteFlags) register(fs *flag.FlagSet, drafts bool) {
	fs.StringVar(&f.source, "source", ".", "the site's root `folder`, holding content/, layouts/ and static/")
	fs.StringVar(&f.baseURL, "base-url", "/", "the `URL` the site is published at, such as https://example.org/rights/")
	fs.BoolVar(&f.drafts, "drafts", drafts, "include pages marked draft: true")
	fs.DurationVar(&f.timeout, "timeout", site.DefaultTimeout, "how long one page's Markdown, or one layout run, may take before the build fails, such as 30s")
}

// check makes sure the source folder is a site.
func (f *siteFlags) check() error {
	st, err := os.Stat(filepath.Join(f.source, "content"))
	if err != nil || !st.IsDir() {
		abs, _ := filepath.Abs(f.source)
		return fmt.Errorf("%s has no content/ folder; run the command in the site's root folder or give it with --source", abs)
	}
	return nil
}

// parse sets a site command's usage text, parses its flags, checks the
// site folder and opens it (the caller closes it); it returns an exit
// status when the command should stop.
func (f *siteFlags) parse(fs *flag.FlagSet, usage string, args []string, stderr io.Writer) (int, bool) {
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		printFlags(fs)
	}
	if code, stop := parseFlags(fs, args, stderr); stop {
		return code, true
	}
	if f.timeout <= 0 {
		fmt.Fprintf(stderr, "charter %s: --timeout must be more than 0, such as 10s\n", fs.Name())
		return 2, true
	}
	if err := f.checkBaseURL(); err != nil {
		fmt.Fprintf(stderr, "charter %s: %v\n", fs.Name(), err)
		return 2, true
	}
	if err := f.check(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1, true
	}
	root, err := os.OpenRoot(f.source)
	if err != nil {
		fmt.Fprintf(stderr, "cannot open the site folder: %v\n", err)
		return 1, true
	}
	f.root = root
	return 0, false
}

// printFlags lists a command's flags as the README writes them, with two
// dashes: "--port N", then the help text and the default.
func printFlags(fs *flag.FlagSet) {
	w := fs.Output()
	fs.VisitAll(func(f *flag.Flag) {
		name, text := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(text, "\n", "\n    \t"))
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "0s" {
			if fmt.Sprintf("%T", f.Value) == "*flag.stringValue" {
				def = fmt.Sprintf("%q", def)
			}
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
}

// parseFlags parses a command's flags; it returns an exit status when
// the command should stop (after -h or a usage error).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "charter %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, true
	}
	return 0, false
}

const buildUsage = `Usage: charter build [flags]

Builds the site into public/. A failed build leaves public/ as it was.

Flags:
`

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	var sf siteFlags
	sf.register(fs, false)
	dest := fs.String("dest", "", "the output `folder` (default public inside the source)")
	minify := fs.Bool("minify", true, "minify HTML, CSS, JS, SVG, XML and JSON; --minify=false keeps them readable")
	quiet := fs.Bool("quiet", false, "print nothing but warnings and errors")
	dryRun := fs.Bool("dry-run", false, "build and print what would change in the output, without changing it")
	if code, stop := sf.parse(fs, buildUsage, args, stderr); stop {
		return code
	}
	defer sf.close()
	if *dest == "" {
		*dest = filepath.Join(sf.source, "public")
	}
	site.TuneGC(buildMemoryLimit(sf.source))
	b, err := site.NewBuilder(publishConfig(sf, *minify), sf.oneBuildFS())
	if err != nil {
		fmt.Fprintf(stderr, "charter build: %v\n", err)
		return 2
	}
	out, err := site.NewDirOutput(*dest, sf.source, filepath.Join(sf.source, "content"), filepath.Join(sf.source, "layouts"), filepath.Join(sf.source, "static"))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	res, err := b.Build(ctx, out)
	if err != nil {
		out.Abort()
		return reportBuildError(err, stderr, *dest)
	}
	printWarnings(stderr, res.Warnings)
	var diff site.Diff
	var derr error
	if *dryRun || !*quiet {
		diff, derr = out.Diff()
	}
	if *dryRun {
		out.Abort()
		if derr != nil {
			fmt.Fprintf(stderr, "cannot compare with %s: %v\n", *dest, derr)
			return 1
		}
		printDiff(stdout, diff, *dest, true)
		return 0
	}
	if err := out.Commit(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stdout, "Built %s (%s), %s and %s into %s in %s\n",
			plural(res.Pages, "page"), plural(res.Sections, "section"), plural(res.Files, "static file"),
			plural(res.Aliases, "redirect"), *dest, res.Duration.Round(time.Millisecond))
	}
	if !*quiet && derr == nil {
		printDiff(stdout, diff, *dest, false)
	}
	return 0
}

func reportBuildError(err error, stderr io.Writer, dest string) int {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "interrupted: %s was left as it was\n", dest)
		return 1
	}
	es, ok := site.AsErrors(err)
	if !ok {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	for _, e := range es {
		fmt.Fprintf(stderr, "error: %v\n", e)
	}
	noun := "errors"
	if len(es) == 1 {
		noun = "error"
	}
	fmt.Fprintf(stderr, "build failed with %d %s; %s was left as it was\n", len(es), noun, dest)
	return 1
}

func printWarnings(w io.Writer, ws site.Errors) {
	for _, e := range ws {
		fmt.Fprintf(w, "warning: %v\n", e)
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// printDiff says what a build changed (or would change) in the published
// pages, listing up to 20 of each kind.
func printDiff(w io.Writer, d site.Diff, dest string, dry bool) {
	verb, head := "changed", "Pages changed in"
	if dry {
		verb, head = "would change", "Pages that would change in"
	}
	if len(d.Changed)+len(d.Removed) == 0 && len(d.Added) > 0 && !dry {
		return // a first build: every page is new, and the summary says how many
	}
	if len(d.Added)+len(d.Changed)+len(d.Removed) == 0 {
		fmt.Fprintf(w, "No page %s in %s.\n", verb, dest)
		return
	}
	fmt.Fprintf(w, "%s %s: %d added, %d changed, %d removed\n", head, dest, len(d.Added), len(d.Changed), len(d.Removed))
	list := func(sign string, paths []string) {
		for i, p := range paths {
			if i == 20 {
				fmt.Fprintf(w, "  … and %d more\n", len(paths)-20)
				break
			}
			fmt.Fprintf(w, "  %s %s\n", sign, p)
		}
	}
	list("+", d.Added)
	list("~", d.Changed)
	list("-", d.Removed)
}

// buildMemoryLimit is the soft memory limit for building the site in
// the folder source: see site.MemoryLimit.
func buildMemoryLimit(source string) int64 {
	return site.MemoryLimit(contentFiles(source))
}

// publishConfig is the configuration of a build for publishing: what
// `charter build` and `charter serve --write` write to public/.
func publishConfig(sf siteFlags, minify bool) site.Config {
	return site.Config{BaseURL: sf.baseURL, Drafts: sf.drafts, Minify: minify, Fingerprint: true, Index: searchIndex, Timeout: sf.timeout}
}

// searchIndex makes the site search index from the pages' text, keeping
// only each page's term counts once it has rendered: one index for each
// language, in its own folder.
func searchIndex() site.Indexer { return &searchIndexer{byDir: map[string]*search.Builder{}} }

// searchIndexer gives each language's search.Builder the build's pages.
type searchIndexer struct {
	mu    sync.Mutex
	byDir map[string]*search.Builder // "search/", "cy/search/"
}

func (x *searchIndexer) Add(d site.SearchDoc) {
	dir := cmp.Or(d.IndexDir, "search/")
	x.mu.Lock()
	b := x.byDir[dir]
	if b == nil {
		b = search.NewBuilder(d.Lang)
		x.byDir[dir] = b
	}
	x.mu.Unlock()
	b.Add(search.Doc{URL: d.URL, Title: d.Title, Description: d.Description, Section: d.Section, Headings: d.Headings, Text: d.Text, Lang: d.Lang})
}

// Files is every language's index; an empty one when no page is indexed.
func (x *searchIndexer) Files() (map[string][]byte, error) {
	if len(x.byDir) == 0 {
		return search.Index(nil)
	}
	out := map[string][]byte{}
	for dir, b := range x.byDir {
		files, err := b.Files()
		if err != nil {
			return nil, err
		}
		for name, data := range files {
			out[dir+strings.TrimPrefix(name, "search/")] = data
		}
	}
	return out, nil
}
