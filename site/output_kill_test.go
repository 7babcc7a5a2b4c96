//go:build linux

package site

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"charter/site/internal/gensite"
)

// The kill tests run builds in a child process, this test binary run
// again with these variables set: the site, the destination, and the
// step of Commit at which the child kills itself ("" for none).
const (
	envChildSrc  = "CHARTER_TEST_CHILD_SRC"
	envChildDest = "CHARTER_TEST_CHILD_DEST"
	envChildKill = "CHARTER_TEST_CHILD_KILL_AT"
)

// TestOutputChild is the child's build; it does nothing in a normal run.
func TestOutputChild(t *testing.T) {
	src := os.Getenv(envChildSrc)
	if src == "" {
		t.Skip("only run as a child of the kill tests")
	}
	at := os.Getenv(envChildKill)
	err := buildInto(t, os.DirFS(src), os.Getenv(envChildDest), func(o *DirOutput) {
		o.hook = func(step string) {
			os.Stdout.WriteString("step " + step + "\n")
			if step == at {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal is on its way
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// child starts a build of src into dest in a child process.
func child(t *testing.T, src, dest, killAt string) *exec.Cmd {
	t.Helper()
	cmd, _ := childSteps(t, src, dest, killAt)
	return cmd
}

// childSteps starts a child build, and returns a channel that is closed
// when the child reaches Commit.
func childSteps(t *testing.T, src, dest, killAt string) (*exec.Cmd, <-chan struct{}) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestOutputChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChildSrc+"="+src, envChildDest+"="+dest, envChildKill+"="+killAt)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committing := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "step commit" {
				close(committing)
			}
		}
	}()
	return cmd, committing
}

// killed reports whether a child ended by SIGKILL.
func killed(err error) bool {
	ws, ok := exitStatus(err)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

func exitStatus(err error) (syscall.WaitStatus, bool) {
	ee, ok := err.(*exec.ExitError)
	if !ok {
		return 0, false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ws, ok
}

// twoSites writes two versions of a generated site, of n and n+50 pages
// (n a multiple of 50, so that every link resolves), and
// returns their folders and the hashes of their complete builds.
func twoSites(t *testing.T, n int) (src [2]string, want [2]string) {
	t.Helper()
	dir := ramDir(t)
	for i := range 2 {
		src[i] = filepath.Join(dir, "site"+strconv.Itoa(i))
		if err := gensite.Write(src[i], n+i*50, ".."); err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(dir, "ref"+strconv.Itoa(i), "public")
		if err := buildInto(t, os.DirFS(src[i]), dest, nil); err != nil {
			t.Fatal(err)
		}
		want[i] = dirHash(t, dest)
	}
	return src, want
}

// ramDir is a fresh RAM-backed folder where one exists: on this disk,
// deleting many files makes timings swing by seconds.
func ramDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("/dev/shm", "charter-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// which says which complete build a folder holds: 0, 1, or -1 for
// neither (a broken or missing output).
func which(t *testing.T, dir string, want [2]string) int {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		return -1
	}
	h := dirHash(t, dir)
	for i, w := range want {
		if h == w {
			return i
		}
	}
	return -1
}

// TestCommitKilledAtEachStep stops a build at each step of Commit with
// SIGKILL: the destination holds the old build or the new one, never
// nothing and never a mix, and the next build leaves nothing beside it.
func TestCommitKilledAtEachStep(t *testing.T) {
	src, want := twoSites(t, 100)
	out := ramDir(t)
	dest := filepath.Join(out, "public")
	if err := buildInto(t, os.DirFS(src[0]), dest, nil); err != nil {
		t.Fatal(err)
	}
	cur := 0
	for _, step := range []string{"commit", "swapped", "old-emptied"} {
		next := 1 - cur
		err := child(t, src[next], dest, step).Wait()
		if !killed(err) {
			t.Fatalf("child not killed at %s: %v", step, err)
		}
		got := which(t, dest, want)
		switch {
		case got < 0:
			t.Fatalf("killed at %s: public/ is not a complete build; beside it: %v", step, beside(t, out))
		case step == "commit" && got != cur, step != "commit" && got != next:
			t.Errorf("killed at %s: public/ holds build %d", step, got)
		}
		cur = got
		if len(beside(t, out, "public")) == 0 {
			t.Errorf("killed at %s: nothing left to clean up; is the step reached?", step)
		}
		if err := child(t, src[1-cur], dest, "").Wait(); err != nil {
			t.Fatalf("next build: %v", err)
		}
		cur = 1 - cur
		if l := beside(t, out, "public"); len(l) > 0 {
			t.Errorf("after the build that followed a kill at %s, left beside public: %v", step, l)
		}
		if which(t, dest, want) != cur {
			t.Errorf("after the build that followed a kill at %s, public/ is not the new build", step)
		}
	}
}

// TestBuildsKilledAtRandom kills builds of a generated site at random
// moments, 30 times: after each kill the destination is a complete old
// or new build, and after a build that finishes nothing else is left
// beside it. The seed is logged; set CHARTER_KILL_SEED to replay one.
func TestBuildsKilledAtRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated site 30 times in child processes")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CHARTER_KILL_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (CHARTER_KILL_SEED=%d replays it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	src, want := twoSites(t, 400)
	out := ramDir(t)
	dest := filepath.Join(out, "public")
	start := time.Now()
	if err := child(t, src[0], dest, "").Wait(); err != nil {
		t.Fatal(err)
	}
	span := time.Since(start) * 13 / 10 // a whole child run, and then some
	cur, kills, after := 0, 0, 0
	for i := range 30 {
		next := 1 - cur
		cmd, committing := childSteps(t, src[next], dest, "")
		// Half the kills land anywhere in the run; half land within 8 ms
		// of the child reaching Commit: the swap and the removal of the
		// old build.
		if i%2 == 0 {
			time.Sleep(time.Duration(rng.Int64N(int64(span))))
		} else {
			select {
			case <-committing:
				time.Sleep(time.Duration(rng.Int64N(int64(8 * time.Millisecond))))
			case <-time.After(span * 3):
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		got := which(t, dest, want)
		if got < 0 {
			t.Fatalf("kill %d: public/ is not a complete build; beside it: %v", i, beside(t, out))
		}
		if killed(err) {
			kills++
			if got == next {
				after++ // killed after the swap, while removing the old build
			}
		} else if err != nil {
			t.Fatalf("kill %d: the build failed: %v", i, err)
		} else if l := beside(t, out, "public"); len(l) > 0 {
			t.Errorf("kill %d came after the build finished, and left beside public: %v", i, l)
		}
		cur = got
	}
	if err := child(t, src[1-cur], dest, "").Wait(); err != nil {
		t.Fatal(err)
	}
	if l := beside(t, out, "public"); len(l) > 0 {
		t.Errorf("after the last build, left beside public: %v", l)
	}
	t.Logf("%d builds killed (%d of them after the swap), %d finished first; a child run takes about %s", kills, after, 30-kills, span*10/13)
	if kills < 10 {
		t.Errorf("only %d of 30 builds were killed; the kill times are off", kills)
	}
}
