package main

import (
	"fmt"
	"io"
	"strings"
)

// report prints one line per check and counts the failures.
type report struct {
	out      io.Writer
	total    int
	failed   int
	failures []string
}

// check records one check: it passes when problems is empty.
func (r *report) check(name string, problems ...string) {
	r.total++
	if len(problems) == 0 {
		fmt.Fprintf(r.out, "ok    %s\n", name)
		return
	}
	r.failed++
	line := fmt.Sprintf("FAIL  %s: %s", name, strings.Join(problems, "; "))
	r.failures = append(r.failures, line)
	fmt.Fprintln(r.out, line)
}

// problems collects the findings of one check.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }
