package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, f func(r *report)) *report {
	t.Helper()
	var out bytes.Buffer
	r := &report{out: &out}
	f(r)
	t.Log("\n" + out.String())
	return r
}

// expectFailures asserts that each wanted fragment appears in some FAIL line.
func expectFailures(t *testing.T, r *report, wanted ...string) {
	t.Helper()
	all := strings.Join(r.failures, "\n")
	for _, w := range wanted {
		if !strings.Contains(all, w) {
			t.Errorf("expected a failure mentioning %q; failures were:\n%s", w, all)
		}
	}
}

func TestRepositoryPasses(t *testing.T) {
	root, _ := filepath.Abs("../..")
	r := run(t, func(r *report) {
		validateKubernetes(r, filepath.Join(root, "infra/k8s/base"), false)
		validateKubernetes(r, filepath.Join(root, "infra/k8s/overlays/production"), true)
		validateCompose(r, filepath.Join(root, "docker-compose.yml"), filepath.Join(root, "infra/postgres/init.sql"))
		validateDockerfile(r, filepath.Join(root, "infra/docker/Dockerfile"))
	})
	if r.failed > 0 {
		t.Fatalf("%d checks failed:\n%s", r.failed, strings.Join(r.failures, "\n"))
	}
}

func TestBrokenManifestsFail(t *testing.T) {
	r := run(t, func(r *report) { validateKubernetes(r, "testdata/broken-k8s", true) })
	expectFailures(t, r,
		`Deployment vetting: strict decoding error: unknown field "spec.template.spec.containers[0].resourses"`,
		"Deployment gateway: container gateway has no HTTP /readyz probe",
		"Deployment personnel: container personnel probes /readyz, want /healthz",
		"Deployment elections: container elections has no cpu limit",
		"Deployment elections: container elections lacks runAsNonRoot: true",
		"Deployment complaints: 0 HorizontalPodAutoscalers target it, want 1",
		`image "registry.example.cn/huanjie/training:latest" is not pinned`,
		"Secret huanjie-auth is defined in the manifests",
		"Deployment gateway: AUTH_JWT_SECRET is not taken from a Secret",
		"outside the namespace can reach personnel on 4001",
		"another pod in the namespace can reach training on 4005",
		"Deployment gateway can reach PostgreSQL on 5432",
	)
}

func TestBrokenComposeFails(t *testing.T) {
	r := run(t, func(r *report) {
		validateCompose(r, "testdata/broken-compose/docker-compose.yml", "testdata/broken-compose/init.sql")
	})
	expectFailures(t, r,
		`kafka image "bitnami/kafka:latest"`,
		"no KRaft controller",
		"kafka sets KAFKA_ZOOKEEPER_CONNECT",
		`personnel depends on postgres with condition "service_started", want service_healthy`,
		"gateway does not depend on vetting",
		"postgres keeps its data on no named volume",
		"init.sql does not create database huanjie_vetting",
		"complaints: PORT=4001, want 4004",
		`gateway: SUBGRAPH_VETTING_URL=""`,
		"postgres: POSTGRES_PASSWORD is not taken from ${POSTGRES_PASSWORD}",
		"gateway: init: true missing",
	)
}

func TestInvalidComposeIsRejectedBySchema(t *testing.T) {
	r := run(t, func(r *report) {
		validateCompose(r, "testdata/invalid-compose/docker-compose.yml", "testdata/broken-compose/init.sql")
	})
	expectFailures(t, r, "loads and validates against the Compose schema")
}

func TestBrokenDockerfileFails(t *testing.T) {
	r := run(t, func(r *report) { validateDockerfile(r, "testdata/broken-Dockerfile") })
	expectFailures(t, r, "want a multi-stage build", "npm ci --omit=dev", "non-root USER", "no HEALTHCHECK", "does not run dist/main.js")
}
