// Command charter builds the department's people's rights site from
// Markdown in content/ and templates in layouts/ into public/. Run
// "go run . help" for its commands.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"charter/site"
	"charter/site/cli"
)

func main() {
	site.TuneGC(180 << 20) // check and serve raise it: they hold the site in memory
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command; see cli.Run.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Run(ctx, args, stdout, stderr)
}
