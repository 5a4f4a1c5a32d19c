package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// The workloads the stack consists of: the gateway and the five subgraphs with their ports.
var subgraphPorts = map[string]int32{"personnel": 4001, "vetting": 4002, "elections": 4003, "complaints": 4004, "training": 4005}

const gatewayPort int32 = 4000

// Environment variables that hold secrets (or, like DATABASE_URL, embed one): they must come from
// a Secret reference, never a literal value or a ConfigMap.
var secretName = regexp.MustCompile(`(SECRET|PASSWORD|TOKEN|_KEYS?$|^DATABASE_URL$)`)

// objects is a built kustomization, decoded into the typed API objects.
type objects struct {
	deployments []*appsv1.Deployment
	services    []*corev1.Service
	pdbs        []*policyv1.PodDisruptionBudget
	hpas        []*autoscalingv2.HorizontalPodAutoscaler
	jobs        []*batchv1.Job
	configMaps  []*corev1.ConfigMap
	secrets     []*corev1.Secret
	policies    []*networkingv1.NetworkPolicy
	namespaces  []*corev1.Namespace
}

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, policyv1.AddToScheme,
		autoscalingv2.AddToScheme, networkingv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}

// buildAndDecode runs kustomize on dir and decodes every object strictly: an unknown field, a
// duplicate field, a wrong type or a kind outside the registered API groups is an error.
func buildAndDecode(dir string) (*objects, []string, error) {
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, nil, err
	}
	scheme := newScheme()
	decoder := kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme, kjson.SerializerOptions{Yaml: true, Strict: true})
	out := &objects{}
	var errs []string
	for _, res := range m.Resources() {
		y, err := res.AsYAML()
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", res.CurId(), err))
			continue
		}
		obj, _, err := decoder.Decode(y, nil, nil)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s %s: %v", res.GetKind(), res.GetName(), err))
			continue
		}
		switch o := obj.(type) {
		case *appsv1.Deployment:
			out.deployments = append(out.deployments, o)
		case *corev1.Service:
			out.services = append(out.services, o)
		case *policyv1.PodDisruptionBudget:
			out.pdbs = append(out.pdbs, o)
		case *autoscalingv2.HorizontalPodAutoscaler:
			out.hpas = append(out.hpas, o)
		case *batchv1.Job:
			out.jobs = append(out.jobs, o)
		case *corev1.ConfigMap:
			out.configMaps = append(out.configMaps, o)
		case *corev1.Secret:
			out.secrets = append(out.secrets, o)
		case *networkingv1.NetworkPolicy:
			out.policies = append(out.policies, o)
		case *corev1.Namespace:
			out.namespaces = append(out.namespaces, o)
		default:
			errs = append(errs, fmt.Sprintf("%s %s: no rule covers this kind; add it to infra/validate", res.GetKind(), res.GetName()))
		}
	}
	return out, errs, nil
}

// validateKubernetes builds one kustomization and checks it. production adds the image rules.
func validateKubernetes(r *report, dir string, production bool) {
	name := "k8s " + filepath.Base(filepath.Dir(dir)) + "/" + filepath.Base(dir)
	if !production {
		name = "k8s base"
	}
	objs, decodeErrs, err := buildAndDecode(dir)
	if err != nil {
		r.check(name+": kustomize build", err.Error())
		return
	}
	r.check(name + ": kustomize build")
	r.check(fmt.Sprintf("%s: every object decodes strictly into its typed API object", name), decodeErrs...)
	checkWorkloads(r, name, objs, production)
	checkSecrets(r, name, objs)
	checkNetworkPolicies(r, name, objs)
}

func selectorMatches(sel *metav1.LabelSelector, set map[string]string) bool {
	if sel == nil {
		return false
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return false
	}
	return s.Matches(labels.Set(set))
}

func allContainers(spec *corev1.PodSpec) []corev1.Container {
	return append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
}

func containerPortNamed(c corev1.Container, port intOrName) bool {
	for _, p := range c.Ports {
		if (port.name != "" && p.Name == port.name) || (port.name == "" && p.ContainerPort == port.num) {
			return true
		}
	}
	return false
}

type intOrName struct {
	name string
	num  int32
}

func checkProbe(p *problems, what string, c corev1.Container, probe *corev1.Probe, path string) {
	if probe == nil || probe.HTTPGet == nil {
		p.addf("%s: container %s has no HTTP %s probe", what, c.Name, path)
		return
	}
	if probe.HTTPGet.Path != path {
		p.addf("%s: container %s probes %s, want %s", what, c.Name, probe.HTTPGet.Path, path)
	}
	port := intOrName{name: probe.HTTPGet.Port.StrVal, num: probe.HTTPGet.Port.IntVal}
	if !containerPortNamed(c, port) {
		p.addf("%s: container %s probes port %s, which it does not declare", what, c.Name, probe.HTTPGet.Port.String())
	}
}

func checkResources(p *problems, what string, spec *corev1.PodSpec) {
	for _, c := range allContainers(spec) {
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if q, ok := c.Resources.Requests[res]; !ok || q.IsZero() {
				p.addf("%s: container %s has no %s request", what, c.Name, res)
			}
			if q, ok := c.Resources.Limits[res]; !ok || q.IsZero() {
				p.addf("%s: container %s has no %s limit", what, c.Name, res)
			}
		}
	}
}

func checkNonRoot(p *problems, what string, spec *corev1.PodSpec) {
	for _, c := range allContainers(spec) {
		nonRoot := spec.SecurityContext != nil && spec.SecurityContext.RunAsNonRoot != nil && *spec.SecurityContext.RunAsNonRoot
		uid := (*int64)(nil)
		if spec.SecurityContext != nil {
			uid = spec.SecurityContext.RunAsUser
		}
		if sc := c.SecurityContext; sc != nil {
			if sc.RunAsNonRoot != nil {
				nonRoot = *sc.RunAsNonRoot
			}
			if sc.RunAsUser != nil {
				uid = sc.RunAsUser
			}
		}
		if !nonRoot {
			p.addf("%s: container %s lacks runAsNonRoot: true", what, c.Name)
		}
		if uid != nil && *uid == 0 {
			p.addf("%s: container %s runs as uid 0", what, c.Name)
		}
		if c.SecurityContext == nil || c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
			p.addf("%s: container %s lacks allowPrivilegeEscalation: false", what, c.Name)
		}
	}
}

func checkImage(p *problems, what string, spec *corev1.PodSpec) {
	for _, c := range allContainers(spec) {
		ref := c.Image
		if at := strings.Index(ref, "@"); at >= 0 {
			continue // pinned by digest
		}
		tag := ""
		if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
			tag = ref[i+1:]
		}
		if tag == "" || tag == "latest" {
			p.addf("%s: container %s image %q is not pinned (no tag, or latest)", what, c.Name, ref)
		}
	}
}

func checkWorkloads(r *report, name string, objs *objects, production bool) {
	want := map[string]string{"gateway": "gateway"}
	for s := range subgraphPorts {
		want[s] = "subgraph"
	}
	var missing problems
	found := map[string]*appsv1.Deployment{}
	for _, d := range objs.deployments {
		found[d.Spec.Template.Labels["app.kubernetes.io/name"]] = d
	}
	for _, n := range sortedKeys(want) {
		d := found[n]
		if d == nil {
			missing.addf("no Deployment for %s", n)
		} else if got := d.Spec.Template.Labels["app.kubernetes.io/component"]; got != want[n] {
			missing.addf("Deployment %s has component %q, want %q", d.Name, got, want[n])
		}
	}
	r.check(name+": a Deployment for the gateway and each of the five subgraphs", missing...)

	for _, d := range objs.deployments {
		what := "Deployment " + d.Name
		spec := &d.Spec.Template.Spec
		tpl := d.Spec.Template.Labels
		var pr, res, sec, pdb, hpa, svc, grace, img problems
		if !selectorMatches(d.Spec.Selector, tpl) {
			pr.addf("%s: selector does not match its pod template", what)
		}
		for _, c := range spec.Containers {
			checkProbe(&pr, what, c, c.ReadinessProbe, "/readyz")
			checkProbe(&pr, what, c, c.LivenessProbe, "/healthz")
		}
		r.check(what+": readiness probe on /readyz, liveness probe on /healthz", pr...)
		checkResources(&res, what, spec)
		r.check(what+": CPU and memory requests and limits", res...)
		checkNonRoot(&sec, what, spec)
		r.check(what+": runs as non-root without privilege escalation", sec...)
		if spec.TerminationGracePeriodSeconds == nil || *spec.TerminationGracePeriodSeconds < 20 {
			grace.addf("%s: terminationGracePeriodSeconds must be at least 20 (the process drains for up to 15 s after a 5 s preStop)", what)
		}
		r.check(what+": grace period long enough for a graceful shutdown", grace...)

		n := 0
		for _, b := range objs.pdbs {
			if selectorMatches(b.Spec.Selector, tpl) {
				n++
			}
		}
		if n != 1 {
			pdb.addf("%s: %d PodDisruptionBudgets select its pods, want 1", what, n)
		}
		r.check(what+": one PodDisruptionBudget", pdb...)

		n = 0
		for _, h := range objs.hpas {
			if h.Spec.ScaleTargetRef.Kind == "Deployment" && h.Spec.ScaleTargetRef.Name == d.Name {
				n++
				if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 {
					hpa.addf("HorizontalPodAutoscaler %s: minReplicas below 2 leaves the PodDisruptionBudget nothing to spare", h.Name)
				}
			}
		}
		if n != 1 {
			hpa.addf("%s: %d HorizontalPodAutoscalers target it, want 1", what, n)
		}
		if d.Spec.Replicas != nil {
			hpa.addf("%s: sets replicas although an autoscaler owns the count (every apply would reset it)", what)
		}
		r.check(what+": one HorizontalPodAutoscaler", hpa...)

		n = 0
		for _, s := range objs.services {
			if len(s.Spec.Selector) > 0 && labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(tpl)) {
				n++
				for _, p := range s.Spec.Ports {
					port := intOrName{name: p.TargetPort.StrVal, num: p.TargetPort.IntVal}
					if !containerPortNamed(spec.Containers[0], port) {
						svc.addf("Service %s: targetPort %s is not a port of %s", s.Name, p.TargetPort.String(), what)
					}
				}
			}
		}
		if n != 1 {
			svc.addf("%s: %d Services select its pods, want 1", what, n)
		}
		r.check(what+": one Service", svc...)

		if production {
			checkImage(&img, what, spec)
			r.check(what+": image pinned to a tag other than latest", img...)
		}
	}

	// A migration Job per subgraph, running the subgraph's own image.
	for _, s := range sortedKeys(subgraphPorts) {
		var p problems
		var job *batchv1.Job
		for _, j := range objs.jobs {
			l := j.Spec.Template.Labels
			if l["app.kubernetes.io/name"] == s && l["app.kubernetes.io/component"] == "migration" {
				job = j
			}
		}
		switch {
		case job == nil:
			p.addf("no migration Job (labels app.kubernetes.io/name=%s, app.kubernetes.io/component=migration)", s)
		default:
			spec := &job.Spec.Template.Spec
			if d := found[s]; d != nil && spec.Containers[0].Image != d.Spec.Template.Spec.Containers[0].Image {
				p.addf("Job %s runs image %s, the Deployment %s", job.Name, spec.Containers[0].Image, d.Spec.Template.Spec.Containers[0].Image)
			}
			if cmd := strings.Join(spec.Containers[0].Command, " "); !strings.Contains(cmd, "dist/main.js") || !strings.Contains(cmd, "--migrate-only") {
				p.addf("Job %s runs %q, not the service with --migrate-only", job.Name, cmd)
			}
			if spec.RestartPolicy != corev1.RestartPolicyNever && spec.RestartPolicy != corev1.RestartPolicyOnFailure {
				p.addf("Job %s: restartPolicy %q", job.Name, spec.RestartPolicy)
			}
			checkResources(&p, "Job "+job.Name, spec)
			checkNonRoot(&p, "Job "+job.Name, spec)
			for _, svc := range objs.services {
				if labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(job.Spec.Template.Labels)) {
					p.addf("Service %s selects the migration pods of Job %s", svc.Name, job.Name)
				}
			}
			if production {
				checkImage(&p, "Job "+job.Name, spec)
			}
		}
		r.check(fmt.Sprintf("%s: migration Job for %s (same image, --migrate-only, non-root, limits)", name, s), p...)
	}
}

// checkSecrets: no Secret in the manifests (they would hold literal data), secret-like variables
// come from secretKeyRef, ConfigMaps hold nothing secret-like, and every ConfigMap referenced exists.
func checkSecrets(r *report, name string, objs *objects) {
	var lit, refs problems
	for _, s := range objs.secrets {
		lit.addf("Secret %s is defined in the manifests (%d data keys); create it outside them", s.Name, len(s.Data)+len(s.StringData))
	}
	for _, cm := range objs.configMaps {
		for k := range cm.Data {
			if secretName.MatchString(k) {
				lit.addf("ConfigMap %s holds %s, which is a secret", cm.Name, k)
			}
		}
	}
	cms := map[string]bool{}
	for _, cm := range objs.configMaps {
		cms[cm.Name] = true
	}
	secretsUsed := map[string]map[string]bool{}
	var rotation problems
	visit := func(what string, spec *corev1.PodSpec) {
		for _, c := range allContainers(spec) {
			// Key rotation (README "Security"): whoever reads PII_ENCRYPTION_KEY also reads
			// PII_ENCRYPTION_KEYS, from the same Secret, optional (it exists only during and after a rotation).
			env := map[string]*corev1.SecretKeySelector{}
			for _, e := range c.Env {
				if e.ValueFrom != nil {
					env[e.Name] = e.ValueFrom.SecretKeyRef
				}
			}
			if key, ok := env["PII_ENCRYPTION_KEY"]; ok {
				keys := env["PII_ENCRYPTION_KEYS"]
				switch {
				case keys == nil:
					rotation.addf("%s: reads PII_ENCRYPTION_KEY but not PII_ENCRYPTION_KEYS", what)
				case key == nil || keys.Name != key.Name || keys.Optional == nil || !*keys.Optional:
					rotation.addf("%s: PII_ENCRYPTION_KEYS is not an optional key of PII_ENCRYPTION_KEY's Secret", what)
				}
			}
			for _, e := range c.Env {
				if secretName.MatchString(e.Name) {
					if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
						lit.addf("%s: %s is not taken from a Secret", what, e.Name)
					}
				}
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					ref := e.ValueFrom.SecretKeyRef
					if secretsUsed[ref.Name] == nil {
						secretsUsed[ref.Name] = map[string]bool{}
					}
					secretsUsed[ref.Name][ref.Key] = true
				}
				if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil && !cms[e.ValueFrom.ConfigMapKeyRef.Name] {
					refs.addf("%s: ConfigMap %s does not exist", what, e.ValueFrom.ConfigMapKeyRef.Name)
				}
			}
			for _, ef := range c.EnvFrom {
				if ef.ConfigMapRef != nil && !cms[ef.ConfigMapRef.Name] {
					refs.addf("%s: ConfigMap %s does not exist", what, ef.ConfigMapRef.Name)
				}
				if ef.SecretRef != nil {
					lit.addf("%s: envFrom a whole Secret (%s); reference keys one by one", what, ef.SecretRef.Name)
				}
			}
		}
	}
	for _, d := range objs.deployments {
		visit("Deployment "+d.Name, &d.Spec.Template.Spec)
	}
	for _, j := range objs.jobs {
		visit("Job "+j.Name, &j.Spec.Template.Spec)
	}
	r.check(name+": no literal secrets (no Secret objects; secret variables from secretKeyRef)", lit...)
	r.check(name+": every ConfigMap referenced is generated", refs...)
	r.check(name+": PII_ENCRYPTION_KEYS (key rotation, optional) wherever PII_ENCRYPTION_KEY is read", rotation...)
	var list []string
	for _, s := range sortedKeys(secretsUsed) {
		list = append(list, s+" ("+strings.Join(sortedKeys(secretsUsed[s]), ", ")+")")
	}
	fmt.Fprintf(r.out, "      Secrets to create before deploying: %s\n", strings.Join(list, ", "))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
