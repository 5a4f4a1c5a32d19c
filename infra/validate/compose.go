package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// The variables docker-compose.yml requires (${VAR:?}); the validator sets them to these dummy
// values and checks they reach the services unchanged, i.e. the file holds no literal secret.
var composeSecrets = map[string]string{
	"POSTGRES_PASSWORD":      "dummy-postgres-password-for-validation",
	"AUTH_JWT_SECRET":        "dummy-jwt-secret-for-validation-0123456789",
	"SUBGRAPH_SHARED_SECRET": "dummy-subgraph-shared-secret-for-validation-0123",
	"PII_ENCRYPTION_KEY":     "ZHVtbXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMhIQ==",
	"PII_INDEX_KEY":          "ZHVtbXktaW5kZXgta2V5LWZvci12YWxpZGF0aW9uISE=",
}

// The services that encrypt personal data, with the PII keys (README "Security").
var piiServices = map[string]bool{"personnel": true, "elections": true, "complaints": true}

// A rotation's key list, as an operator would set it (dummy keys).
const rotationKeys = "k2:ZHVtbXktcm90YXRlZC1rZXktMzItYnl0ZXMtbG9uZyE=,k1:ZHVtbXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMhIQ=="

func withEnv(base, extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func loadCompose(file string, env map[string]string) (*types.Project, error) {
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(file),
		ConfigFiles: []types.ConfigFile{{Filename: file}},
		Environment: env,
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("huanjie", true)
	})
}

// validateCompose loads docker-compose.yml the way `docker compose config` does (schema
// validation, interpolation, merging of the x- anchors) and checks the project's rules.
func validateCompose(r *report, file, initSQL string) {
	name := "compose " + filepath.Base(file)

	// Without the secrets, loading must fail and name them.
	var p problems
	_, err := loadCompose(file, map[string]string{})
	if err == nil {
		p.addf("loads without any secret set; the secrets need ${VAR:?message}")
	} else if !strings.Contains(err.Error(), "POSTGRES_PASSWORD") && !strings.Contains(err.Error(), "AUTH_JWT_SECRET") &&
		!strings.Contains(err.Error(), "SUBGRAPH_SHARED_SECRET") && !strings.Contains(err.Error(), "PII_") {
		p.addf("fails without the secrets, but not because of them: %v", err)
	}
	r.check(name+": refuses to load until the secrets are set", p...)

	project, err := loadCompose(file, composeSecrets)
	if err != nil {
		r.check(name+": loads and validates against the Compose schema (secrets set, everything else defaulted)", err.Error())
		return
	}
	r.check(name + ": loads and validates against the Compose schema (secrets set, everything else defaulted)")

	services := project.Services
	want := []string{"postgres", "kafka", "personnel", "vetting", "elections", "complaints", "training", "gateway"}
	p = nil
	for _, s := range want {
		if _, ok := services[s]; !ok {
			p.addf("no service %s", s)
		}
	}
	r.check(name+": services "+strings.Join(want, ", "), p...)
	if len(p) > 0 {
		return
	}

	// KRaft from the official image.
	p = nil
	kafka := services["kafka"]
	if !strings.HasPrefix(kafka.Image, "apache/kafka:") || strings.HasSuffix(kafka.Image, ":latest") {
		p.addf("kafka image %q, want apache/kafka:<version>", kafka.Image)
	}
	if roles := envValue(kafka, "KAFKA_PROCESS_ROLES"); !strings.Contains(roles, "controller") {
		p.addf("KAFKA_PROCESS_ROLES=%q: no KRaft controller", roles)
	}
	for k := range kafka.Environment {
		if strings.Contains(strings.ToUpper(k), "ZOOKEEPER") {
			p.addf("kafka sets %s", k)
		}
	}
	if envValue(kafka, "KAFKA_AUTO_CREATE_TOPICS_ENABLE") != "false" {
		p.addf("topic auto-creation is not disabled")
	}
	r.check(name+": Kafka in KRaft mode from apache/kafka, no auto-created topics", p...)

	// Health-based start order.
	p = nil
	deps := map[string][]string{"gateway": {"personnel", "vetting", "elections", "complaints", "training"}}
	for s := range subgraphPorts {
		deps[s] = []string{"postgres", "kafka"}
	}
	for _, s := range sortedKeys(deps) {
		for _, d := range deps[s] {
			dep, ok := services[s].DependsOn[d]
			switch {
			case !ok:
				p.addf("%s does not depend on %s", s, d)
			case dep.Condition != types.ServiceConditionHealthy:
				p.addf("%s depends on %s with condition %q, want service_healthy", s, d, dep.Condition)
			}
		}
	}
	for _, s := range sortedKeys(services) {
		for d, dep := range services[s].DependsOn {
			hc := services[d].HealthCheck
			if dep.Condition == types.ServiceConditionHealthy && (hc == nil || hc.Disable || len(hc.Test) == 0) {
				p.addf("%s waits for %s to be healthy, but %s has no healthcheck in the file", s, d, d)
			}
		}
	}
	r.check(name+": depends_on waits for health (postgres, kafka → subgraphs → gateway)", p...)

	// Data on named volumes.
	p = nil
	for _, s := range []string{"postgres", "kafka"} {
		named := false
		for _, v := range services[s].Volumes {
			if v.Type == types.VolumeTypeVolume {
				if _, ok := project.Volumes[v.Source]; !ok {
					p.addf("%s mounts volume %s, which is not declared", s, v.Source)
				}
				named = true
			}
		}
		if !named {
			p.addf("%s keeps its data on no named volume", s)
		}
	}
	r.check(name+": PostgreSQL and Kafka data on declared named volumes", p...)

	// Every variable the services require, one database per subgraph, created by init.sql.
	p = nil
	sql, err := os.ReadFile(initSQL)
	if err != nil {
		p.addf("%v", err)
	}
	if pg := services["postgres"]; !mountsFile(pg, filepath.Clean(initSQL), "/docker-entrypoint-initdb.d/") {
		p.addf("postgres does not mount %s into /docker-entrypoint-initdb.d", initSQL)
	}
	for _, s := range sortedKeys(subgraphPorts) {
		svc := services[s]
		required := []string{"PORT", "HOST", "DATABASE_URL", "KAFKA_BROKERS", "AUTH_JWT_SECRET", "SUBGRAPH_SHARED_SECRET"}
		if piiServices[s] {
			required = append(required, "PII_ENCRYPTION_KEY", "PII_INDEX_KEY")
		}
		for _, k := range required {
			if envValue(svc, k) == "" {
				p.addf("%s: %s is not set", s, k)
			}
		}
		if got := envValue(svc, "PORT"); got != fmt.Sprint(subgraphPorts[s]) {
			p.addf("%s: PORT=%s, want %d", s, got, subgraphPorts[s])
		}
		db := "huanjie_" + s
		url := envValue(svc, "DATABASE_URL")
		if !strings.HasSuffix(url, "@postgres:5432/"+db) {
			p.addf("%s: DATABASE_URL does not point at postgres:5432/%s", s, db)
		}
		if !regexp.MustCompile(`(?im)^\s*CREATE DATABASE\s+` + db + `\s*;`).Match(sql) {
			p.addf("%s does not create database %s", filepath.Base(initSQL), db)
		}
		if svc.HealthCheck == nil {
			p.addf("%s: no healthcheck", s)
		}
	}
	gw := services["gateway"]
	for _, s := range sortedKeys(subgraphPorts) {
		k := "SUBGRAPH_" + strings.ToUpper(s) + "_URL"
		if want := fmt.Sprintf("http://%s:%d/graphql", s, subgraphPorts[s]); envValue(gw, k) != want {
			p.addf("gateway: %s=%q, want %q", k, envValue(gw, k), want)
		}
	}
	for _, k := range []string{"AUTH_JWT_SECRET", "SUBGRAPH_SHARED_SECRET"} {
		if envValue(gw, k) == "" {
			p.addf("gateway: %s is not set", k)
		}
	}
	r.check(name+": every required variable set; one database per subgraph, created by init.sql", p...)

	// Key rotation: the services holding personal data take PII_ENCRYPTION_KEYS when it is set
	// (optional, so passed through by name; with it set, it must arrive unchanged).
	p = nil
	withKeys, err := loadCompose(file, withEnv(composeSecrets, map[string]string{"PII_ENCRYPTION_KEYS": rotationKeys}))
	if err != nil {
		p.addf("does not load with PII_ENCRYPTION_KEYS set: %v", err)
	} else {
		for _, s := range sortedKeys(piiServices) {
			if got := envValue(withKeys.Services[s], "PII_ENCRYPTION_KEYS"); got != rotationKeys {
				p.addf("%s: PII_ENCRYPTION_KEYS=%q when set to %q", s, got, rotationKeys)
			}
			if v, ok := services[s].Environment["PII_ENCRYPTION_KEYS"]; ok && v != nil {
				p.addf("%s: PII_ENCRYPTION_KEYS=%q when unset; want it left unset", s, *v)
			}
		}
	}
	r.check(name+": PII_ENCRYPTION_KEYS (key rotation) reaches personnel, elections and complaints when set, and only then", p...)

	// Secrets come from the environment only.
	p = nil
	for _, s := range sortedKeys(services) {
		for k, v := range services[s].Environment {
			if v == nil || !secretName.MatchString(k) || k == "DATABASE_URL" {
				continue
			}
			if dummy, ok := composeSecrets[k]; !ok || *v != dummy {
				p.addf("%s: %s is not taken from ${%s}", s, k, k)
			}
		}
		if url := envValue(services[s], "DATABASE_URL"); url != "" && !strings.Contains(url, composeSecrets["POSTGRES_PASSWORD"]) {
			p.addf("%s: DATABASE_URL does not carry ${POSTGRES_PASSWORD}", s)
		}
	}
	r.check(name+": no literal secrets (all from required variables)", p...)

	// Graceful shutdown: an init process forwards SIGTERM, and the grace period covers the drain.
	p = nil
	for _, s := range append(sortedKeys(subgraphPorts), "gateway") {
		svc := services[s]
		if svc.Init == nil || !*svc.Init {
			p.addf("%s: init: true missing (node would be PID 1)", s)
		}
		if svc.StopGracePeriod == nil || *svc.StopGracePeriod < types.Duration(20e9) {
			p.addf("%s: stop_grace_period below 20s", s)
		}
		if svc.Build == nil || filepath.ToSlash(svc.Build.Dockerfile) != "infra/docker/Dockerfile" {
			p.addf("%s: not built from infra/docker/Dockerfile", s)
		}
	}
	r.check(name+": our six services built from infra/docker/Dockerfile, init process, 20 s+ to stop", p...)
}

func envValue(s types.ServiceConfig, k string) string {
	if v, ok := s.Environment[k]; ok && v != nil {
		return *v
	}
	return ""
}

func mountsFile(s types.ServiceConfig, source, targetDir string) bool {
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeBind && filepath.Clean(v.Source) == source && strings.HasPrefix(v.Target, targetDir) {
			return true
		}
	}
	return false
}
