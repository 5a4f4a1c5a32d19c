package main

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// endpoint is a pod (or something outside the namespace) that a connection starts or ends at.
type endpoint struct {
	name   string
	labels map[string]string
	inNS   bool // in the namespace the policies apply to
}

var (
	postgresPod = endpoint{"PostgreSQL", map[string]string{"app.kubernetes.io/name": "postgres"}, true}
	kafkaPod    = endpoint{"Kafka", map[string]string{"app.kubernetes.io/name": "kafka"}, true}
	strangerPod = endpoint{"another pod in the namespace", map[string]string{"app.kubernetes.io/name": "intruder"}, true}
	outside     = endpoint{"outside the namespace", map[string]string{}, false}
	kubeDNS     = endpoint{"kube-dns", map[string]string{"k8s-app": "kube-dns"}, false}
)

func hasPolicyType(p *networkingv1.NetworkPolicy, t networkingv1.PolicyType) bool {
	if len(p.Spec.PolicyTypes) == 0 { // defaulted by the API server: Ingress, plus Egress if rules exist
		return t == networkingv1.PolicyTypeIngress || len(p.Spec.Egress) > 0
	}
	for _, x := range p.Spec.PolicyTypes {
		if x == t {
			return true
		}
	}
	return false
}

func selects(sel metav1.LabelSelector, l map[string]string) bool { return selectorMatches(&sel, l) }

// peerMatches over-approximates: a namespace selector or an IP block is taken to match anything
// outside the namespace (and, with a matching pod selector, inside it), so "must not reach"
// findings are never missed.
func peerMatches(peer networkingv1.NetworkPolicyPeer, other endpoint) bool {
	if peer.IPBlock != nil {
		return !other.inNS
	}
	if peer.NamespaceSelector != nil {
		return peer.PodSelector == nil || selects(*peer.PodSelector, other.labels)
	}
	return other.inNS && peer.PodSelector != nil && selects(*peer.PodSelector, other.labels)
}

func portMatches(ports []networkingv1.NetworkPolicyPort, port int32, proto corev1.Protocol) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		pp := corev1.ProtocolTCP
		if p.Protocol != nil {
			pp = *p.Protocol
		}
		if pp != proto {
			continue
		}
		if p.Port == nil || p.Port.StrVal != "" { // any port, or a named one: assume it matches
			return true
		}
		end := p.Port.IntVal
		if p.EndPort != nil {
			end = *p.EndPort
		}
		if port >= p.Port.IntVal && port <= end {
			return true
		}
	}
	return false
}

// allows tells whether the policies let subject send (egress) or receive (ingress) traffic
// to or from other on port. A pod no policy of that type selects is not isolated.
func allows(pols []*networkingv1.NetworkPolicy, t networkingv1.PolicyType, subject, other endpoint, port int32, proto corev1.Protocol) bool {
	if !subject.inNS {
		return true
	}
	isolated := false
	for _, p := range pols {
		if !hasPolicyType(p, t) || !selects(p.Spec.PodSelector, subject.labels) {
			continue
		}
		isolated = true
		if t == networkingv1.PolicyTypeIngress {
			for _, rule := range p.Spec.Ingress {
				if anyPeer(rule.From, other) && portMatches(rule.Ports, port, proto) {
					return true
				}
			}
		} else {
			for _, rule := range p.Spec.Egress {
				if anyPeer(rule.To, other) && portMatches(rule.Ports, port, proto) {
					return true
				}
			}
		}
	}
	return !isolated
}

func anyPeer(peers []networkingv1.NetworkPolicyPeer, other endpoint) bool {
	if len(peers) == 0 {
		return true
	}
	for _, p := range peers {
		if peerMatches(p, other) {
			return true
		}
	}
	return false
}

func connects(pols []*networkingv1.NetworkPolicy, from, to endpoint, port int32, proto corev1.Protocol) bool {
	return allows(pols, networkingv1.PolicyTypeEgress, from, to, port, proto) &&
		allows(pols, networkingv1.PolicyTypeIngress, to, from, port, proto)
}

// checkNetworkPolicies works out who can reach whom from the policies and the pod templates:
// only the gateway reaches the subgraphs; only the subgraphs (and their migration Jobs) reach
// PostgreSQL and Kafka; and every connection the stack needs is allowed on both ends.
func checkNetworkPolicies(r *report, name string, objs *objects) {
	pols := objs.policies
	var gateway endpoint
	subgraphs := map[string]endpoint{}
	var all []endpoint
	for _, d := range objs.deployments {
		e := endpoint{"Deployment " + d.Name, d.Spec.Template.Labels, true}
		all = append(all, e)
		if d.Spec.Template.Labels["app.kubernetes.io/component"] == "gateway" {
			gateway = e
		} else {
			subgraphs[d.Spec.Template.Labels["app.kubernetes.io/name"]] = e
		}
	}
	var jobs []endpoint
	for _, j := range objs.jobs {
		e := endpoint{"Job " + j.Name, j.Spec.Template.Labels, true}
		jobs = append(jobs, e)
		all = append(all, e)
	}
	if gateway.labels == nil {
		r.check(name+": NetworkPolicies", "no gateway Deployment to check them against")
		return
	}

	var p problems
	if !connects(pols, outside, gateway, gatewayPort, corev1.ProtocolTCP) {
		p.addf("nothing outside the namespace can reach the gateway on %d", gatewayPort)
	}
	r.check(name+": NetworkPolicies let clients reach the gateway", p...)

	p = nil
	for _, s := range sortedKeys(subgraphs) {
		sg, port := subgraphs[s], subgraphPorts[s]
		if !connects(pols, gateway, sg, port, corev1.ProtocolTCP) {
			p.addf("the gateway cannot reach %s on %d", s, port)
		}
		others := []endpoint{strangerPod, outside, postgresPod, kafkaPod}
		for _, e := range all {
			if e.name != gateway.name {
				others = append(others, e)
			}
		}
		for _, o := range others {
			if allows(pols, networkingv1.PolicyTypeIngress, sg, o, port, corev1.ProtocolTCP) {
				p.addf("%s can reach %s on %d", o.name, s, port)
			}
		}
	}
	r.check(name+": NetworkPolicies: only the gateway reaches the subgraphs", p...)

	for _, store := range []struct {
		ep   endpoint
		port int32
	}{{postgresPod, 5432}, {kafkaPod, 9092}} {
		p = nil
		clients := append([]endpoint{}, jobs...)
		for _, s := range sortedKeys(subgraphs) {
			clients = append(clients, subgraphs[s])
		}
		for _, c := range clients {
			if !connects(pols, c, store.ep, store.port, corev1.ProtocolTCP) {
				p.addf("%s cannot reach %s on %d", c.name, store.ep.name, store.port)
			}
		}
		for _, o := range []endpoint{gateway, strangerPod, outside} {
			if allows(pols, networkingv1.PolicyTypeIngress, store.ep, o, store.port, corev1.ProtocolTCP) {
				p.addf("%s can reach %s on %d", o.name, store.ep.name, store.port)
			}
		}
		r.check(fmt.Sprintf("%s: NetworkPolicies: only the services reach %s", name, store.ep.name), p...)
	}

	p = nil
	for _, e := range all {
		if !connects(pols, e, kubeDNS, 53, corev1.ProtocolUDP) {
			p.addf("%s cannot resolve names (UDP 53 to kube-dns)", e.name)
		}
		if connects(pols, e, outside, 443, corev1.ProtocolTCP) {
			p.addf("%s can open connections to anywhere (egress is not restricted)", e.name)
		}
	}
	r.check(name+": NetworkPolicies: egress limited, DNS allowed", p...)
}
