package ocpsim

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// accessKeyScheme is the Authorization scheme of OCP's AccessKey signature.
const accessKeyScheme = "OCP-ACCESS-KEY-HMACSHA1 "

// authenticate checks the request's credentials (HTTP Basic or the AccessKey signature of OCP's
// authentication documentation) and returns who is calling. body is the request body, already read.
func (s *Sim) authenticate(r *http.Request, body []byte) (string, *Error) {
	h := r.Header.Get("Authorization")
	switch {
	case h == "":
		return "", unauthorized("Authentication required: send HTTP Basic credentials or an OCP AccessKey signature.")
	case strings.HasPrefix(h, accessKeyScheme):
		return s.checkAccessKey(r, body, strings.TrimPrefix(h, accessKeyScheme))
	default:
		user, pass, ok := r.BasicAuth()
		if !ok {
			return "", unauthorized("Unsupported Authorization header: use Basic or OCP-ACCESS-KEY-HMACSHA1.")
		}
		want, known := s.users[user]
		if !known || subtle.ConstantTimeCompare([]byte(pass), []byte(want)) != 1 {
			return "", unauthorized("Bad credentials: wrong username or password.")
		}
		return user, nil
	}
}

func (s *Sim) checkAccessKey(r *http.Request, body []byte, cred string) (string, *Error) {
	ak, sig, ok := strings.Cut(cred, ":")
	if !ok || ak == "" || sig == "" {
		return "", unauthorized("Malformed AccessKey Authorization header: want OCP-ACCESS-KEY-HMACSHA1 {AK}:{Signature}.")
	}
	sk, known := s.accessKeys[ak]
	if !known {
		return "", unauthorized("Unknown AccessKey " + ak + ".")
	}
	date := r.Header.Get("Date")
	if date == "" {
		return "", unauthorized("AccessKey authentication needs a Date header.")
	}
	when, err := http.ParseTime(date)
	if err != nil {
		return "", unauthorized("Unparseable Date header " + date + ": want RFC 1123, e.g. " + time.Unix(0, 0).UTC().Format(http.TimeFormat) + ".")
	}
	if skew := s.now().Sub(when).Abs(); skew > s.maxSkew {
		return "", unauthorized("Date header " + date + " is " + skew.Round(time.Second).String() +
			" away from the server clock; the limit is " + s.maxSkew.String() + ".")
	}
	mac := hmac.New(sha1.New, []byte(sk))
	mac.Write([]byte(stringToSign(r, body)))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return "", unauthorized("AccessKey signature mismatch: the server computed a different signature for this request.")
	}
	return "admin", nil
}

// stringToSign builds OCP's AccessKey string to sign: method, upper-case hex MD5 of the body (empty
// without one), content type, Date, host:port, the sorted x-ocp-* headers as name:value lines, and the
// path with its canonical query (see pathAndQuery), joined by newlines.
func stringToSign(r *http.Request, body []byte) string {
	md5hex := ""
	if len(body) > 0 {
		sum := md5.Sum(body)
		md5hex = strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	var ocpHeaders []string
	for name, vals := range r.Header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-ocp-") && len(vals) > 0 {
			ocpHeaders = append(ocpHeaders, lower+":"+strings.TrimSpace(vals[0]))
		}
	}
	sort.Strings(ocpHeaders)
	return strings.Join([]string{
		strings.ToUpper(r.Method),
		md5hex,
		r.Header.Get("Content-Type"),
		r.Header.Get("Date"),
		r.Host,
		strings.Join(ocpHeaders, "\n"),
		pathAndQuery(r.URL),
	}, "\n")
}

// pathAndQuery is the path plus "?k=v&…" as OCP canonicalises the query it received (its signing page):
// keys sorted, one entry per key whose non-empty values are sorted and joined by ",", then key and
// joined value percent-encoded, so that a=2&a=1 and a=1%2C2 both read a=1%2C2.
func pathAndQuery(u *url.URL) string {
	q, _ := url.ParseQuery(u.RawQuery)
	if len(q) == 0 {
		return u.EscapedPath()
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		var vals []string
		for _, v := range q[k] {
			if v != "" {
				vals = append(vals, v)
			}
		}
		sort.Strings(vals)
		pairs = append(pairs, percentEncode(k)+"="+percentEncode(strings.Join(vals, ",")))
	}
	return u.EscapedPath() + "?" + strings.Join(pairs, "&")
}

// percentEncode escapes everything but RFC 3986 unreserved characters, with upper-case hex.
func percentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func unauthorized(msg string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeAuthFailed, Message: msg}
}
