package ocp

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// AccessKeyScheme is the Authorization scheme of OCP's AccessKey signature.
const AccessKeyScheme = "OCP-ACCESS-KEY-HMACSHA1"

// authenticator adds credentials to one HTTP attempt. It runs per attempt because the AccessKey
// signature covers the Date header, which must be fresh on every retry.
type authenticator interface {
	authenticate(req *http.Request, body []byte) error
}

// basicAuth is HTTP Basic.
type basicAuth struct{ username, password string }

func (a basicAuth) authenticate(req *http.Request, _ []byte) error {
	req.SetBasicAuth(a.username, a.password)
	return nil
}

// accessKeyAuth is OCP's AccessKey HMAC-SHA1 signature.
type accessKeyAuth struct {
	id, secret string
	now        func() time.Time
}

func (a accessKeyAuth) authenticate(req *http.Request, body []byte) error {
	return SignRequest(req, body, a.id, a.secret, a.now())
}

// SignRequest signs req with OCP's AccessKey scheme (OCP's AccessKey signature page): it sets the Date header
// from now, rewrites the query into its canonical form (see canonicalQuery) so that the URL sent is the
// one signed, and sets Authorization. body must be the exact bytes req will send (nil for none).
// The host signed is the Host header as sent: host:port when the URL names a port, as OCP's reference
// client signs the address it was given.
// It is exported so that the simulator's tests can cross-check their independent verifier.
func SignRequest(req *http.Request, body []byte, accessKeyID, accessKeySecret string, now time.Time) error {
	if accessKeyID == "" || accessKeySecret == "" {
		return errors.New("ocp: AccessKey id and secret are both required to sign a request")
	}
	req.URL.RawQuery = canonicalQuery(req.URL.Query())
	date := now.UTC().Format(http.TimeFormat)
	req.Header.Set("Date", date)
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	s := stringToSign(req.Method, body, req.Header.Get("Content-Type"), date, host, req.Header,
		req.URL.EscapedPath(), req.URL.RawQuery)
	req.Header.Set("Authorization", AccessKeyScheme+" "+accessKeyID+":"+signature(accessKeySecret, s))
	return nil
}

// signature is base64(HMAC-SHA1(secret, s)).
func signature(secret, s string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// stringToSign builds OCP's canonical string: method, upper-case hex MD5 of the body (empty without a
// body), content type, Date, host:port, the sorted x-ocp-* headers as name:value lines, and the path
// with its canonical query, joined by "\n". query must already be canonical (see canonicalQuery).
func stringToSign(method string, body []byte, contentType, date, host string, header http.Header, path, query string) string {
	md5hex := ""
	if len(body) > 0 {
		sum := md5.Sum(body)
		md5hex = strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	pathAndQuery := path
	if query != "" {
		pathAndQuery += "?" + query
	}
	return strings.Join([]string{
		strings.ToUpper(method), md5hex, contentType, date, host, ocpHeaders(header), pathAndQuery,
	}, "\n")
}

// ocpHeaders renders the x-ocp-* headers as sorted "name:value" lines. Names are lower-cased because
// Go canonicalises header keys (X-Ocp-Origin) while OCP's reference client signs them as written
// (x-ocp-origin); several values of one header are joined by commas.
func ocpHeaders(header http.Header) string {
	var lines []string
	for name, values := range header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-ocp-") {
			lines = append(lines, lower+":"+strings.Join(values, ","))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// canonicalQuery renders q as OCP's signing page canonicalises a query: one key=value entry per key,
// keys sorted, and a repeated key's non-empty values sorted and joined by "," (a=2&a=1 becomes a=1,2).
// The joined value is percent-encoded as a whole, so its commas are written %2C, as the page's sample
// code does. Sending this form is safe: OCP reads a=1%2C2 as the single value "1,2", whose canonical
// form is the same, and a comma list is how OCP takes several values (status=RUNNING,FAILED).
func canonicalQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		var values []string
		for _, v := range q[k] {
			if v != "" { // the page's code drops empty values; a key with none keeps "k="
				values = append(values, v)
			}
		}
		sort.Strings(values)
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(quote(k))
		b.WriteByte('=')
		b.WriteString(quote(strings.Join(values, ",")))
	}
	return b.String()
}

// quote percent-encodes everything but ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 unreserved, the
// page's encoder). url.QueryEscape differs only in writing a space as "+", and a literal "+" has already
// become "%2B" by then.
func quote(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
