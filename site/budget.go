package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// DefaultTimeout is how long one page's Markdown conversion, and one
// layout execution, may take when Config.Timeout is zero. A real page
// takes milliseconds; only hostile or broken input comes near it.
const DefaultTimeout = 10 * time.Second

// maxPageOutput caps what a layout may write for one page (or one
// partialCached call): a page of the real site is some tens of kilobytes.
const maxPageOutput = 64 << 20

// errOverBudget is returned when a conversion or execution ran past its
// time budget; errTooLarge when a layout wrote more than maxPageOutput.
var (
	errOverBudget = errors.New("over its time budget")
	errTooLarge   = errors.New("output too large")
)

// A budget is what one conversion or layout execution may use.
type budget struct {
	time  time.Duration
	bytes int // what a layout may write
}

// perMB caps the time a page gets for each MiB beyond the first. Plain
// Markdown converts at several MiB a second; the timeout again for each
// MiB gave a hostile 9 MiB page (a list nested 3,000 deep) a minute and a
// half, which it used.
const perMB = time.Second

// budgetFor is the budget of a page with n bytes of Markdown (for its
// conversion) or of converted content (for its layout): the timeout, and
// the timeout again (at most perMB) for each MiB beyond the first, so
// that a large page is not taken for a slow one; and maxPageOutput
// besides twice its content.
func budgetFor(d time.Duration, n int) budget {
	extra := int64(max(n-1<<20, 0))
	return budget{time: d + time.Duration(int64(min(d, perMB))*extra>>20), bytes: maxPageOutput + 2*n}
}

// timeout is the budget of one conversion or layout execution.
func (b *Builder) timeout() time.Duration {
	if b.cfg.Timeout > 0 {
		return b.cfg.Timeout
	}
	return DefaultTimeout
}

// A runner runs functions within a time budget on a goroutine of its own,
// which it keeps for the next function: a layout execution nests deeply,
// and a fresh goroutine would grow its stack again, copying it each time,
// for every page (3% of a build's CPU). One runner serves one render
// worker at a time; stop ends its goroutine. The zero runner is ready.
type runner struct {
	jobs chan func()
	done chan any
}

// run runs f on the runner's goroutine and waits until it returns, ctx
// is cancelled or the budget d runs out. It returns nil when f finished,
// errOverBudget or ctx's error when it gave up: f then runs on alone on
// the goroutine, which the runner leaves to it, and nothing f writes to
// may be used again. A panic in f is raised again on the caller's
// goroutine.
func (w *runner) run(ctx context.Context, d time.Duration, f func()) error {
	if w.jobs == nil {
		w.jobs, w.done = make(chan func()), make(chan any, 1)
		go runJobs(w.jobs, w.done)
	}
	w.jobs <- f
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case p := <-w.done:
		if p != nil {
			panic(p)
		}
		return nil
	case <-ctx.Done():
		w.stop()
		return ctx.Err()
	case <-timer.C:
		w.stop()
		return errOverBudget
	}
}

// stop lets the runner's goroutine end once its function, if any,
// returns; the next run starts another.
func (w *runner) stop() {
	if w.jobs != nil {
		close(w.jobs)
		w.jobs, w.done = nil, nil
	}
}

// runJobs runs each function it is given and sends what it panicked
// with, nil when it returned.
func runJobs(jobs <-chan func(), done chan<- any) {
	for f := range jobs {
		done <- recovered(f)
	}
}

// recovered calls f and returns the value it panicked with, or nil.
func recovered(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// budgetWriter is the writer a layout executes into. text/template stops
// at the first write that fails, so the writer stops an execution that is
// cancelled, past its deadline or too large. The templates are compiled so
// that every range iteration and every template call writes (see guard),
// even when it writes no text. It also counts how deeply templates nest,
// from the marks guard puts at their start and end.
type budgetWriter struct {
	buf      *bytes.Buffer
	ctx      context.Context
	deadline time.Time
	limit    int
	marks    *templateMarks
	depth    int
	writes   int
}

func newBudgetWriter(ctx context.Context, buf *bytes.Buffer, bg budget, marks *templateMarks) *budgetWriter {
	return &budgetWriter{buf: buf, ctx: ctx, deadline: time.Now().Add(bg.time), limit: bg.bytes, marks: marks}
}

// maxTemplateDepth is how deeply templates may call each other: far more
// than a breadcrumb trail of a real site needs, and far less than the
// 100,000 at which text/template gives up, after minutes.
const maxTemplateDepth = 1000

func (w *budgetWriter) Write(p []byte) (int, error) {
	if len(p) == 0 && w.marks != nil {
		if err := w.mark(p); err != nil {
			return 0, err
		}
	}
	if err := w.check(len(p)); err != nil {
		return 0, err
	}
	return w.buf.Write(p)
}

// writeString is Write for a string, for the fast executor: a string is
// never a mark.
func (w *budgetWriter) writeString(s string) error {
	if err := w.check(len(s)); err != nil {
		return err
	}
	w.buf.WriteString(s)
	return nil
}

// check counts a write of n bytes and stops it when the execution is
// cancelled, past its deadline (looked at every 32nd write) or too large.
func (w *budgetWriter) check(n int) error {
	if w.writes++; w.writes&31 == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if time.Now().After(w.deadline) {
			return errOverBudget
		}
	}
	if w.buf.Len()+n > w.limit {
		return errTooLarge
	}
	return nil
}

// mark counts template depth from the empty writes guard put at the start
// and end of each template.
func (w *budgetWriter) mark(p []byte) error {
	i, enter := w.marks.find(p)
	switch {
	case i < 0:
	case !enter:
		w.depth--
	case w.depth >= maxTemplateDepth:
		return &templateLoopError{where: w.marks.where[i], name: w.marks.names[i]}
	default:
		w.depth++
	}
	return nil
}

// templateLoopError is a template that calls itself, directly or through
// others, without end.
type templateLoopError struct {
	where *Error // the file and line of its definition
	name  string
}

func (e *templateLoopError) Error() string {
	return fmt.Sprintf("template %q calls itself without end", e.name)
}

// budgetMessage explains an execution that ran out of time or space, or
// returns "".
func budgetMessage(err error, bg budget) string {
	switch {
	case errors.Is(err, errOverBudget):
		return fmt.Sprintf("still running after %s; does a range run over a huge number, or a template call itself? (the limit is --timeout)", bg.time.Round(time.Millisecond))
	case errors.Is(err, errTooLarge):
		return fmt.Sprintf("wrote more than %d MB for one page; does a range run over a huge number?", bg.bytes>>20)
	}
	return ""
}

// budgetKey holds, in a goldmark parser context, the function that tells
// a conversion to stop: see budgetCheck.
var budgetKey = parser.NewContextKey()

// budgetCheck lets goldmark stop a conversion that is over its budget, so
// that an abandoned conversion does not run on for minutes. goldmark
// cannot be cancelled, so it panics with the stop function's error, which
// markdownWithin recovers. As a block parser it runs on (nearly) every
// line, as an inline parser before every link and tag; it opens nothing.
type budgetCheck struct{}

func (budgetCheck) check(pc parser.Context) {
	if stop, _ := pc.Get(budgetKey).(func() error); stop != nil {
		if err := stop(); err != nil {
			panic(budgetStop{err})
		}
	}
}

// budgetStop is the panic of budgetCheck.
type budgetStop struct{ err error }

func (budgetCheck) Trigger() []byte { return []byte{'[', ']', '<'} }

func (c budgetCheck) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	c.check(pc)
	return nil
}

func (c budgetCheck) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	c.check(pc)
	return nil, parser.NoChildren
}

func (budgetCheck) Continue(ast.Node, text.Reader, parser.Context) parser.State { return parser.Close }
func (budgetCheck) Close(ast.Node, text.Reader, parser.Context)                 {}
func (budgetCheck) CanInterruptParagraph() bool                                 { return true }
func (budgetCheck) CanAcceptIndentedLine() bool                                 { return true }

// blockTrigger makes budgetCheck a block parser tried on every line.
type blockTrigger struct{ budgetCheck }

func (blockTrigger) Trigger() []byte { return nil }

var (
	_ parser.InlineParser = budgetCheck{}
	_ parser.BlockParser  = blockTrigger{}
)

// deadlineStop is a stop function for budgetCheck: it asks for a stop
// when ctx is cancelled or the deadline has passed, looking at the clock
// every 16th call.
func deadlineStop(ctx context.Context, deadline time.Time) func() error {
	n := 0
	return func() error {
		if n++; n&15 != 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return errOverBudget
		}
		return nil
	}
}

// recoverStop turns the panic of budgetCheck into an error in *err.
// Other panics go on.
func recoverStop(err *error) {
	if v := recover(); v != nil {
		s, ok := v.(budgetStop)
		if !ok {
			panic(v)
		}
		*err = s.err
	}
}
