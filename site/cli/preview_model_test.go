package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"charter/site"
	"charter/site/serve"
	"charter/site/watch"
)

// The preview's model: after any sequence of edits, once the files stop
// changing, what the preview serves is what a full build of the files on
// disk gives (or, when that build fails, the preview shows exactly its
// errors), and the full check found nothing to correct in what the fast
// incremental path had served.
//
// The test drives the real watcher and previewer over a copy of the
// department's site with a seeded random walk of edits. A fixed seed runs
// in go test; CHARTER_MODEL_STEPS=N runs N steps from a seed taken from
// the clock (or CHARTER_MODEL_SEED), and a failure prints the seed and the
// steps so that it can be replayed.
func TestPreviewModel(t *testing.T) {
	steps, seed := 25, uint64(20261129)
	if testing.Short() {
		steps = 12
	}
	if s := os.Getenv("CHARTER_MODEL_STEPS"); s != "" {
		steps, _ = strconv.Atoi(s)
		seed = uint64(time.Now().UnixNano())
	}
	if s := os.Getenv("CHARTER_MODEL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	m := newModel(t, seed)
	for i := range steps {
		m.step(i)
	}
	t.Logf("seed %d: %d steps, %d batches, last step %q", seed, steps, m.last.batches, m.log[len(m.log)-1])
}

// model is the site on disk, the preview over it, and the edits so far.
type model struct {
	t     testing.TB
	seed  uint64
	rng   *rand.Rand
	dir   string
	orig  map[string][]byte // the site as checked out: content, layouts, static
	p     *previewer
	out   *lockedBuffer
	settl chan settleInfo // full checks with nothing waiting
	built chan settleInfo // every build
	last  settleInfo
	log   []string
	n     int // a counter for unique text
}

func newModel(t *testing.T, seed uint64) *model {
	t.Helper()
	m := &model{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 1)), dir: t.TempDir(), orig: map[string][]byte{}}
	for _, d := range []string{"content", "layouts", "static"} {
		err := filepath.WalkDir(filepath.Join("../..", d), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel("../..", p)
			m.orig[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for rel, data := range m.orig {
		put(t, m.dir, rel, string(data))
	}
	m.start(30*time.Millisecond, "content", "layouts", "static")
	m.check("start")
	return m
}

// start runs the previewer over the model's folder, watching dirs, with
// the full check after quiet.
func (m *model) start(quiet time.Duration, dirs ...string) {
	t := m.t
	m.out, m.settl, m.built = newLockedBuffer(), make(chan settleInfo, 1000), make(chan settleInfo, 10000)
	b, err := site.NewBuilder(previewConfig(), os.DirFS(m.dir))
	if err != nil {
		t.Fatal(err)
	}
	m.p = &previewer{b: b, srv: serve.New("/"), stdout: m.out, stderr: m.out, quiet: quiet,
		complete: func(ctx context.Context, err error) error {
			return allErrors(ctx, previewConfig(), os.DirFS(m.dir), err)
		},
		finished: func(s settleInfo) {
			select {
			case m.built <- s:
			default: // a test that does not look at every build
			}
			if s.settled {
				m.settl <- s
			}
		}}
	w, err := watch.New(m.dir, dirs, watch.Options{Ignore: site.IgnoredName})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.p.initial(ctx)
	done := make(chan int)
	go func() { done <- m.p.loop(ctx, w, nil) }()
	t.Cleanup(func() {
		cancel()
		<-done
		w.Close()
	})
}

// nextBuild waits for the next build to finish.
func (m *model) nextBuild() settleInfo {
	m.t.Helper()
	select {
	case s := <-m.built:
		return s
	case <-time.After(60 * time.Second):
		m.t.Fatalf("no build within 60s; output:\n%s", m.out.String())
	}
	return settleInfo{}
}

// previewConfig is the configuration the preview builds with by default.
func previewConfig() site.Config {
	return site.Config{BaseURL: "/", Drafts: true, Minify: true, Serve: true}
}

// step makes one random edit (or several at once), waits for the preview
// to settle, and checks it.
func (m *model) step(i int) {
	m.t.Helper()
	var did []string
	edits := 1
	if m.rng.IntN(5) == 0 {
		edits = 2 + m.rng.IntN(3) // saves while a build runs
	}
	for e := range edits {
		if e > 0 {
			time.Sleep(time.Duration(m.rng.IntN(40)) * time.Millisecond)
		}
		did = append(did, m.edit())
	}
	m.log = append(m.log, strings.Join(did, "; "))
	m.settle()
	m.check(fmt.Sprintf("step %d", i))
}

// settle waits until the preview has run its full check after the step's
// changes, and no change came after that.
func (m *model) settle() {
	m.t.Helper()
	deadline := time.After(60 * time.Second)
	before := m.last.batches
	for {
		select {
		case s := <-m.settl:
			m.last = s
			if s.batches == before {
				continue // a check from before these edits
			}
		case <-time.After(confirmWait + 50*time.Millisecond): // past a bug's confirmation
			if m.last.batches == before || m.p.batches.Load() != m.last.batches {
				continue // not yet settled after these edits, or changes came since
			}
			return
		case <-deadline:
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			m.fail(fmt.Sprintf("the preview did not settle within 60s (%d batches, last settled at %d)\n%s", m.p.batches.Load(), m.last.batches, buf))
		}
	}
}

// check compares the preview with a full build of the files on disk.
func (m *model) check(when string) {
	m.t.Helper()
	if m.p.bugs.Load() > 0 {
		m.fail(when + ": the full check corrected the preview (the incremental path was wrong)")
	}
	b, err := site.NewBuilder(previewConfig(), os.DirFS(m.dir))
	if err != nil {
		m.t.Fatal(err)
	}
	out := site.NewMemOutput()
	_, err = b.Build(context.Background(), out)
	if err != nil {
		if got, want := m.p.srv.Error(), errorText(allErrors(context.Background(), previewConfig(), os.DirFS(m.dir), err)); got != want {
			m.fail(fmt.Sprintf("%s: the preview shows the errors\n%s\nbut a full build gives\n%s", when, got, want))
		}
		return
	}
	if e := m.p.srv.Error(); e != "" {
		m.fail(fmt.Sprintf("%s: the preview shows errors, but the site builds:\n%s", when, e))
	}
	if diff := differing(m.p.srv.Files(), out.Files()); len(diff) > 0 {
		m.fail(fmt.Sprintf("%s: the preview differs from a full build in %d files: %s", when, len(diff), strings.Join(diff[:min(10, len(diff))], ", ")))
	}
}

func (m *model) fail(msg string) {
	m.t.Helper()
	m.t.Fatalf("%s\nreplay with CHARTER_MODEL_SEED=%d CHARTER_MODEL_STEPS=%d go test ./site/cli -run TestPreviewModel\nsteps:\n  %s\npreview output:\n%s",
		msg, m.seed, len(m.log), strings.Join(m.log, "\n  "), m.out.String())
}

// edit makes one random change to the site on disk and says what it did.
func (m *model) edit() string {
	type op struct {
		weight int
		do     func() string
	}
	ops := []op{
		{6, m.editBody}, {3, m.addHeading}, {2, m.breakLink}, {2, m.breakFrontMatter}, {3, m.fixOne},
		{2, m.newPage}, {1, m.deletePage}, {2, m.renamePage}, {1, m.newSection}, {1, m.removeFolder},
		{1, m.renameSection}, {2, m.retitle}, {2, m.reweight}, {2, m.editLayout}, {1, m.breakLayout},
		{2, m.editCSS}, {2, m.image}, {2, m.checkout},
		{1, m.setSlug}, {1, m.toggleDraft}, {1, m.addAlias}, {1, m.sectionLayout}, {1, m.removeStatic},
	}
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	n := m.rng.IntN(total)
	for _, o := range ops {
		if n -= o.weight; n < 0 {
			return o.do()
		}
	}
	panic("unreachable")
}

// files lists the site's files on disk under dir, sorted.
func (m *model) files(dir string, match func(string) bool) []string {
	var out []string
	filepath.WalkDir(filepath.Join(m.dir, dir), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(m.dir, p)
			if rel = filepath.ToSlash(rel); match(rel) {
				out = append(out, rel)
			}
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func (m *model) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[m.rng.IntN(len(list))]
}

func isPage(p string) bool { return strings.HasSuffix(p, ".md") }
func isLeaf(p string) bool { return isPage(p) && !strings.HasSuffix(p, "_index.md") }
func (m *model) read(rel string) string {
	data, _ := os.ReadFile(filepath.Join(m.dir, rel))
	return string(data)
}
func (m *model) write(rel, data string) {
	m.t.Helper()
	p := filepath.Join(m.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		m.t.Fatal(err)
	}
}
func (m *model) unique() int { m.n++; return m.n }

// rewrite changes a random page's text with f; it says what it did.
func (m *model) rewrite(what string, match func(string) bool, f func(string) string) string {
	page := m.pick(m.files("content", match))
	if page == "" {
		return m.newPage()
	}
	m.write(page, f(m.read(page)))
	return what + " " + page
}

var frontMatterEnd = regexp.MustCompile(`(?s)^(---\n.*?\n---\n)`)

func (m *model) editBody() string {
	return m.rewrite("edit the body of", isPage, func(s string) string {
		return s + fmt.Sprintf("\nA sentence added by edit %d.\n", m.unique())
	})
}

func (m *model) addHeading() string {
	return m.rewrite("add a heading to", isPage, func(s string) string {
		return s + fmt.Sprintf("\n## Heading number %d\n\nText under it.\n", m.unique())
	})
}

func (m *model) breakLink() string {
	return m.rewrite("break a link in", isPage, func(s string) string {
		return s + fmt.Sprintf("\nSee [the missing page](no-such-page-%d.md).\n", m.unique())
	})
}

func (m *model) breakFrontMatter() string {
	return m.rewrite("break the front matter of", func(p string) bool {
		s := m.read(p)
		return isPage(p) && strings.HasPrefix(s, "---\ntitle: ") && !strings.Contains(s, "title: [")
	}, func(s string) string {
		return strings.Replace(s, "title: ", "title: [", 1)
	})
}

var brokenLink = regexp.MustCompile(`\nSee \[the missing page\]\(no-such-page-\d+\.md\)\.\n`)

// fixOne fixes every mistake of one file that has any, as an editor
// would: a broken link, front matter or layout.
func (m *model) fixOne() string {
	broken := m.files("", func(p string) bool {
		s := m.read(p)
		return brokenLink.MatchString(s) || strings.Contains(s, "title: [") || strings.Contains(s, "{{ .Broken")
	})
	f := m.pick(broken)
	if f == "" {
		return m.editBody()
	}
	s := brokenLink.ReplaceAllString(m.read(f), "\n")
	s = strings.ReplaceAll(s, "title: [", "title:")
	s = strings.ReplaceAll(s, "{{ .Broken", "")
	m.write(f, s)
	return "fix " + f
}

func (m *model) newPage() string {
	dirs := m.dirs()
	dir := m.pick(dirs)
	n := m.unique()
	rel := fmt.Sprintf("%s/new-page-%d.md", dir, n)
	m.write(rel, fmt.Sprintf("---\ntitle: New page %d\nweight: %d\n---\n## First part\n\nWords of page %d.\n", n, m.rng.IntN(100), n))
	return "create " + rel
}

// dirs lists the folders of content/.
func (m *model) dirs() []string {
	out := []string{"content"}
	filepath.WalkDir(filepath.Join(m.dir, "content"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.IsDir() && p != filepath.Join(m.dir, "content") {
			rel, _ := filepath.Rel(m.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (m *model) deletePage() string {
	page := m.pick(m.files("content", isLeaf))
	if page == "" {
		return m.newPage()
	}
	os.Remove(filepath.Join(m.dir, page))
	return "delete " + page
}

func (m *model) renamePage() string {
	page := m.pick(m.files("content", isLeaf))
	if page == "" {
		return m.newPage()
	}
	to := fmt.Sprintf("%s/renamed-%d.md", filepath.ToSlash(filepath.Dir(page)), m.unique())
	os.Rename(filepath.Join(m.dir, page), filepath.Join(m.dir, to))
	return "rename " + page + " to " + to
}

func (m *model) newSection() string {
	n := m.unique()
	dir := fmt.Sprintf("%s/new-section-%d", m.pick(m.dirs()), n)
	m.write(dir+"/_index.md", fmt.Sprintf("---\ntitle: Section %d\n---\nAbout section %d.\n", n, n))
	m.write(dir+"/first.md", fmt.Sprintf("---\ntitle: First of %d\n---\nText. Back to [the section](_index.md).\n", n))
	return "create the section " + dir
}

func (m *model) removeFolder() string {
	dir := m.pick(m.dirs()[1:])
	if dir == "" {
		return m.newSection()
	}
	os.RemoveAll(filepath.Join(m.dir, dir))
	return "remove the folder " + dir
}

// renameSection moves a folder, then, half the time, fixes the links to
// it in every file with one run of sed.
func (m *model) renameSection() string {
	dir := m.pick(m.dirs()[1:])
	if dir == "" {
		return m.newSection()
	}
	base := filepath.Base(dir)
	to := fmt.Sprintf("%s/%s-moved-%d", filepath.ToSlash(filepath.Dir(dir)), base, m.unique())
	os.Rename(filepath.Join(m.dir, dir), filepath.Join(m.dir, to))
	if m.rng.IntN(2) == 0 {
		return "rename " + dir + " to " + to
	}
	for _, f := range m.files("content", isPage) {
		s := m.read(f)
		if t := strings.ReplaceAll(s, base+"/", filepath.Base(to)+"/"); t != s {
			m.write(f, t)
		}
	}
	return "rename " + dir + " to " + to + " and fix the links to it"
}

var titleLine = regexp.MustCompile(`(?m)^title: .*$`)
var weightLine = regexp.MustCompile(`(?m)^weight: .*\n`)

func (m *model) retitle() string {
	return m.rewrite("retitle", isPage, func(s string) string {
		return titleLine.ReplaceAllLiteralString(s, fmt.Sprintf("title: Retitled %d", m.unique()))
	})
}

func (m *model) reweight() string {
	return m.rewrite("reweight", isPage, func(s string) string {
		w := fmt.Sprintf("weight: %d\n", m.rng.IntN(120))
		if weightLine.MatchString(s) {
			return weightLine.ReplaceAllLiteralString(s, w)
		}
		return strings.Replace(s, "---\n", "---\n"+w, 1)
	})
}

func (m *model) editLayout() string {
	f := m.pick([]string{"layouts/partials/footer.html", "layouts/_default/page.html", "layouts/_default/section.html", "layouts/partials/toc.html"})
	s := m.read(f)
	if s == "" {
		return m.editBody()
	}
	first, rest, _ := strings.Cut(s, "\n")
	m.write(f, first+"\n"+fmt.Sprintf("<span hidden>layout edit %d</span>", m.unique())+rest)
	return "edit " + f
}

func (m *model) breakLayout() string {
	f := m.pick([]string{"layouts/partials/footer.html", "layouts/_default/page.html"})
	m.write(f, m.read(f)+"{{ .Broken ")
	return "break " + f
}

func (m *model) editCSS() string {
	f := m.pick([]string{"static/css/site.css", "static/css/print.css"})
	m.write(f, m.read(f)+fmt.Sprintf("\n.edit-%d { color: #123; }\n", m.unique()))
	return "edit " + f
}

// image adds an image to a page, or replaces one added before.
func (m *model) image() string {
	imgs := m.files("", func(p string) bool { return strings.HasSuffix(p, ".png") })
	if img := m.pick(imgs); img != "" && m.rng.IntN(2) == 0 {
		m.write(img, fmt.Sprintf("png %d", m.unique()))
		return "replace " + img
	}
	page := m.pick(m.files("content", isLeaf))
	if page == "" {
		return m.newPage()
	}
	n := m.unique()
	img := fmt.Sprintf("%s/picture-%d.png", filepath.ToSlash(filepath.Dir(page)), n)
	if m.rng.IntN(2) == 0 {
		img = fmt.Sprintf("static/img/picture-%d.png", n)
	}
	m.write(img, fmt.Sprintf("png %d", n))
	src := "picture-" + strconv.Itoa(n) + ".png"
	if strings.HasPrefix(img, "static/") {
		src = "/img/" + src
	}
	m.write(page, m.read(page)+fmt.Sprintf("\n![Picture %d](%s)\n", n, src))
	return "add " + img + " to " + page
}

// checkout puts the whole site back as it was checked out, as `git
// checkout .` with `git clean` would: many files at once.
func (m *model) checkout() string {
	if m.asCheckedOut() {
		return m.editBody()
	}
	for _, f := range m.files("", func(string) bool { return true }) {
		if _, ok := m.orig[f]; !ok {
			os.Remove(filepath.Join(m.dir, f))
		}
	}
	for _, d := range []string{"content", "layouts", "static"} {
		m.removeEmptyDirs(filepath.Join(m.dir, d), false)
	}
	for f, data := range m.orig {
		if cur, err := os.ReadFile(filepath.Join(m.dir, f)); err != nil || !bytes.Equal(cur, data) {
			m.write(f, string(data))
		}
	}
	return "check out the site as it was"
}

// removeEmptyDirs removes the empty folders below dir, and dir itself
// when self is set.
func (m *model) removeEmptyDirs(dir string, self bool) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() {
			m.removeEmptyDirs(filepath.Join(dir, e.Name()), true)
		}
	}
	if self {
		os.Remove(dir) // fails unless empty
	}
}

// asCheckedOut reports whether the site is as it was checked out.
func (m *model) asCheckedOut() bool {
	files := m.files("", func(string) bool { return true })
	if len(files) != len(m.orig) {
		return false
	}
	for _, f := range files {
		if data, ok := m.orig[f]; !ok || m.read(f) != string(data) {
			return false
		}
	}
	return true
}

// frontMatter adds a line to the front matter of a random page.
func (m *model) frontMatter(what, line string) string {
	return m.rewrite(what, func(p string) bool { return isLeaf(p) && strings.HasPrefix(m.read(p), "---\n") }, func(s string) string {
		return "---\n" + line + "\n" + strings.TrimPrefix(s, "---\n")
	})
}

func (m *model) setSlug() string {
	return m.frontMatter("set the slug of", fmt.Sprintf("slug: slug-%d", m.unique()))
}

func (m *model) toggleDraft() string {
	return m.rewrite("toggle draft on", isLeaf, func(s string) string {
		if strings.Contains(s, "\ndraft: true\n") {
			return strings.Replace(s, "\ndraft: true\n", "\n", 1)
		}
		return strings.Replace(s, "---\n", "---\ndraft: true\n", 1)
	})
}

func (m *model) addAlias() string {
	return m.frontMatter("add an alias to", fmt.Sprintf("aliases: [/old-address-%d/]", m.unique()))
}

// sectionLayout gives a section its own page layout, or changes it.
func (m *model) sectionLayout() string {
	dirs := m.dirs()[1:]
	dir := m.pick(dirs)
	if dir == "" {
		return m.editLayout()
	}
	f := "layouts/" + strings.TrimPrefix(dir, "content/") + "/page.html"
	base := m.read("layouts/_default/page.html")
	m.write(f, strings.Replace(base, "<h1>", fmt.Sprintf("<p>Section layout %d</p><h1>", m.unique()), 1))
	return "write " + f
}

func (m *model) removeStatic() string {
	f := m.pick(m.files("static", func(p string) bool { return strings.HasSuffix(p, ".png") || strings.HasSuffix(p, "print.css") }))
	if f == "" {
		return m.editCSS()
	}
	os.Remove(filepath.Join(m.dir, f))
	return "remove " + f
}

// differing lists the files that are not the same in a and b, sorted.
func differing(a, b map[string][]byte) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
