package compat

import (
	"bytes"
	"encoding/json"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// Redaction placeholders.
const (
	redactedSecret = "<redacted>"
	redactedOCP    = "<ocp-host>"
	redactedHost   = "<host>"
	redactedIP     = "<ip>"
)

// Redactor removes from what the check reports (OCP's answers, the checks' "seen" texts) anything that
// names a machine or could be a credential. Its rules, in order:
//
//  1. The client's credentials (password, AccessKey id and secret wherever they occur; the username as a
//     whole value) become <redacted>.
//  2. A value under a key that names a secret (password, secret, token, authorization, credential,
//     accessKey, cookie, privateKey) becomes <redacted>, whatever its type.
//  3. A string under a key that names a machine (executor, server, host, hostname, ip, address, url,
//     endpoint, domain, or a key ending in Ip, IP, Host, Hostname, HostName, Address, Addr, Url, URL or
//     Domain) becomes <host>.
//  4. In every other string, the host of the configured OCP URL becomes <ocp-host>, the host of any URL
//     <host>, any IPv4 or IPv6 address <ip>, and any dotted name whose last label starts with a letter
//     (ocp.example.com, but also java.lang.Long) <host>: better too much than too little.
//  5. Strings under a key that names a version (obVersion, buildVersion, …) keep their value apart from
//     rules 1 and the configured host: "4.2.1.2" is a version there, not an address; in free text, a
//     dotted quad right after the word "version" or "…Version" is kept for the same reason.
type Redactor struct {
	host  string              // the configured OCP host, without port (lower case)
	creds func(string) string // the client's credential redaction; nil: none
}

// NewRedactor returns the redactor for OCP at baseURL; creds (may be nil) replaces the client's
// credentials in a string (ocp.Client.RedactCredentials).
func NewRedactor(baseURL string, creds func(string) string) *Redactor {
	r := &Redactor{creds: creds}
	if u, err := url.Parse(baseURL); err == nil {
		r.host = strings.ToLower(u.Hostname())
	}
	return r
}

// URL returns baseURL with its host replaced: scheme://<ocp-host>:port/path.
func (r *Redactor) URL(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return redactedOCP
	}
	host := redactedOCP
	if p := u.Port(); p != "" {
		host += ":" + p
	}
	return u.Scheme + "://" + host + u.EscapedPath()
}

var (
	secretKeyParts = []string{"password", "secret", "token", "authorization", "credential", "accesskey", "cookie", "privatekey"}
	hostKeys       = []string{"executor", "server", "host", "hostname", "ip", "address", "url", "endpoint", "domain"}
	hostKeySuffix  = []string{"Ip", "IP", "Host", "Hostname", "HostName", "Address", "Addr", "Url", "URL", "Domain"}

	urlHostRE = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)([^/\s"'?#<>]+)`)
	ipv4RE    = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	ipv6RE    = regexp.MustCompile(`[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*`)
	dottedRE  = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]\b`)
)

func isSecretKey(key string) bool {
	k := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(key))
	for _, p := range secretKeyParts {
		if strings.Contains(k, p) {
			return true
		}
	}
	return false
}

func isHostKey(key string) bool {
	for _, k := range hostKeys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	for _, s := range hostKeySuffix {
		if strings.HasSuffix(key, s) && len(key) > len(s) {
			return true
		}
	}
	return false
}

func isVersionKey(key string) bool { return strings.Contains(strings.ToLower(key), "version") }

// String redacts a free text (rules 1 and 4).
func (r *Redactor) String(s string) string { return r.value("", s) }

// value redacts a string found under key.
func (r *Redactor) value(key, s string) string {
	if r.creds != nil {
		s = r.creds(s)
	}
	if s == redactedSecret {
		return s
	}
	switch {
	case key != "" && isSecretKey(key):
		return redactedSecret
	case key != "" && isHostKey(key) && s != "":
		return redactedHost
	}
	if r.host != "" {
		s = replaceFold(s, r.host, redactedOCP)
	}
	if key != "" && isVersionKey(key) {
		return s
	}
	s = urlHostRE.ReplaceAllString(s, "${1}"+redactedHost)
	s = replaceMatches(s, ipv4RE, func(before, m string) string {
		// "obVersion 4.2.1.2" in a check's text is a version, not an address.
		if net.ParseIP(m) == nil || strings.HasSuffix(strings.ToLower(before), "version ") {
			return m
		}
		return redactedIP
	})
	var b strings.Builder
	last := 0
	for _, loc := range ipv6RE.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		trimmed := strings.TrimRight(m, ".:")
		// A whole word ("Foo::bar" holds no address), with a digit (not a bare "::"), that parses.
		whole := (loc[0] == 0 || !isWordByte(s[loc[0]-1])) && (loc[1] == len(s) || !isWordByte(s[loc[1]]))
		b.WriteString(s[last:loc[0]])
		if whole && strings.ContainsAny(trimmed, "0123456789abcdefABCDEF") && net.ParseIP(trimmed) != nil {
			b.WriteString(redactedIP + m[len(trimmed):])
		} else {
			b.WriteString(m)
		}
		last = loc[1]
	}
	b.WriteString(s[last:])
	s = b.String()
	return dottedRE.ReplaceAllString(s, redactedHost)
}

// isWordByte reports whether c is an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// replaceMatches replaces each match of re in s by repl(text before the match, match).
func replaceMatches(s string, re *regexp.Regexp, repl func(before, m string) string) string {
	var b strings.Builder
	last := 0
	for _, loc := range re.FindAllStringIndex(s, -1) {
		b.WriteString(s[last:loc[0]])
		b.WriteString(repl(s[:loc[0]], s[loc[0]:loc[1]]))
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// replaceFold replaces every occurrence of old in s, ignoring case.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	lower := strings.ToLower(s)
	var b strings.Builder
	for {
		i := strings.Index(lower, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

// JSON redacts an answer: a JSON document is walked (rules 1–5; object keys come out sorted), anything
// else becomes a JSON string of its redacted text.
func (r *Redactor) JSON(body []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		b, _ := marshal(r.String(string(body)))
		return b
	}
	out, err := marshal(r.walk("", v))
	if err != nil {
		out, _ = marshal(redactedSecret)
	}
	return out
}

// marshal is json.Marshal without HTML escaping (the placeholders' angle brackets stay readable).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// walk redacts a decoded JSON value found under key.
func (r *Redactor) walk(key string, v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[r.String(k)] = r.walk(k, x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = r.walk(key, x)
		}
		return out
	case string:
		return r.value(key, t)
	case nil:
		return nil
	default: // numbers and booleans
		if key != "" && isSecretKey(key) {
			return redactedSecret
		}
		return t
	}
}
