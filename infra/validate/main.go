// Command validate checks the deployment files without a Docker engine, a cluster or the
// internet: the Kubernetes manifests (infra/k8s, built with kustomize and decoded strictly into
// the typed Kubernetes API objects), docker-compose.yml (loaded with compose-go, which validates
// it against the Compose JSON schema it embeds) and the image recipe (infra/docker/Dockerfile),
// then the project's own rules for each. One line per check; exit status 1 if any failed.
//
//	cd infra/validate && go run .            # from CI (.ci/run)
//	go run . -root ../.. -v                  # also list what passed inside each check
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	root := flag.String("root", "../..", "repository root")
	flag.Parse()
	abs, err := filepath.Abs(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	r := &report{out: os.Stdout}
	validateKubernetes(r, filepath.Join(abs, "infra/k8s/base"), false)
	validateKubernetes(r, filepath.Join(abs, "infra/k8s/overlays/production"), true)
	validateCompose(r, filepath.Join(abs, "docker-compose.yml"), filepath.Join(abs, "infra/postgres/init.sql"))
	validateDockerfile(r, filepath.Join(abs, "infra/docker/Dockerfile"))
	fmt.Fprintf(os.Stdout, "%d checks, %d failed\n", r.total, r.failed)
	if r.failed > 0 {
		os.Exit(1)
	}
}
