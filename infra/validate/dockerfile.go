package main

import (
	"os"
	"regexp"
	"strings"
)

// validateDockerfile reads the image recipe (it cannot be built here: no engine) and checks what
// the images promise: several stages, production dependencies only in the final one, a non-root
// user, a HEALTHCHECK and dist/main.js as the command (the Kubernetes Jobs add --migrate-only).
func validateDockerfile(r *report, file string) {
	name := "image recipe infra/docker/Dockerfile"
	b, err := os.ReadFile(file)
	if err != nil {
		r.check(name, err.Error())
		return
	}
	text := string(b)
	stages := regexp.MustCompile(`(?m)^FROM\s+\S+\s+AS\s+(\S+)`).FindAllStringSubmatch(text, -1)
	var p problems
	if len(stages) < 2 {
		p.addf("%d named stages, want a multi-stage build", len(stages))
	}
	last := text
	if i := strings.LastIndex(text, "\nFROM "); i >= 0 {
		last = text[i:]
	}
	if !regexp.MustCompile(`npm ci --omit=dev`).MatchString(last) {
		p.addf("the final stage does not install with npm ci --omit=dev")
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(last, -1)
	if len(users) == 0 || users[len(users)-1][1] == "root" || strings.HasPrefix(users[len(users)-1][1], "0") {
		p.addf("the final stage does not switch to a non-root USER")
	} else if !regexp.MustCompile(`^[1-9][0-9]*(:[0-9]+)?$`).MatchString(users[len(users)-1][1]) {
		p.addf("USER %s is not numeric: Kubernetes cannot verify runAsNonRoot for a user name", users[len(users)-1][1])
	}
	if !regexp.MustCompile(`(?m)^HEALTHCHECK\s+`).MatchString(last) {
		p.addf("no HEALTHCHECK in the final stage")
	}
	if !regexp.MustCompile(`(?m)^CMD \["node", "dist/main\.js"\]`).MatchString(last) {
		p.addf("the final stage does not run dist/main.js (the migration Jobs run it with --migrate-only)")
	}
	r.check(name+": multi-stage, production dependencies only, numeric non-root USER, HEALTHCHECK, runs dist/main.js", p...)
}
