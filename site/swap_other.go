//go:build !linux

package site

// exchange swaps two paths in one step where the system can; here it
// cannot, and Commit renames twice instead.
func exchange(a, b string) error { return errNoExchange }
