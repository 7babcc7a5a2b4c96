package cli

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"

	"charter/site"
	"charter/site/serve"
)

// savedDuringBuild is a site folder where one file is saved again
// between the build's first read of it and the next.
type savedDuringBuild struct {
	fs.FS
	file  string
	after []byte

	mu    sync.Mutex
	reads int
}

func (s *savedDuringBuild) ReadFile(name string) ([]byte, error) {
	if name == s.file {
		s.mu.Lock()
		s.reads++
		n := s.reads
		s.mu.Unlock()
		if n > 1 {
			return s.after, nil
		}
	}
	return fs.ReadFile(s.FS, name)
}

// The preview reads each page's body again when it renders the page. A
// page saved while a build ran is then not what the build read first:
// the build stops, but the preview shows no error for it, since the
// watcher reports the save and the next build reads the page afresh (an
// error shown would be gone a moment later).
func TestPreviewOvertakenBuildShowsNoError(t *testing.T) {
	dir := writeSite(t, "small")
	const file = "content/privacy.md"
	orig, err := os.ReadFile(dir + "/" + file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := &savedDuringBuild{FS: os.DirFS(dir), file: file, after: append(orig, "\nSaved again.\n"...)}
	b, err := site.NewBuilder(previewConfig(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Build(context.Background(), site.NewMemOutput())
	if !site.ChangedDuringBuild(err) {
		t.Fatalf("the build gave %v, not that the file changed", err)
	}
	out := newLockedBuffer()
	p := &previewer{b: b, srv: serve.New("/"), stdout: out, stderr: out}
	p.finish(context.Background(), &job{}, jobResult{err: err})
	if s := out.String(); s != "" || p.srv.Error() != "" || p.errText != "" {
		t.Errorf("the preview showed an error for a file saved during the build: %q %q", s, p.srv.Error())
	}
	// Any other error is shown.
	p.finish(context.Background(), &job{}, jobResult{err: site.Errors{{File: file, Msg: "broken"}}})
	if !strings.Contains(p.srv.Error(), "broken") {
		t.Errorf("another error is not shown: %q", p.srv.Error())
	}
}
