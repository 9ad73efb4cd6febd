package compat

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// This file reads OCP's answers as generic JSON: the check looks at what OCP sent, field by field, never
// through the client's types (which accept several forms and would hide which one came).

// object is a JSON object by key; nil when the value was not an object.
type object map[string]json.RawMessage

// asObject reads raw as an object (nil when it is not one).
func asObject(raw json.RawMessage) object {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var o object
	if json.Unmarshal(raw, &o) != nil {
		return nil
	}
	if o == nil {
		o = object{}
	}
	return o
}

// asArray reads raw as an array (nil, false when it is not one).
func asArray(raw json.RawMessage) ([]json.RawMessage, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, false
	}
	var a []json.RawMessage
	if json.Unmarshal(raw, &a) != nil {
		return nil, false
	}
	return a, true
}

// kind is the JSON type of a value: "object", "array", "string", "number", "bool", "null", or "absent".
func kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "absent"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// has reports whether the object has key with a value other than null.
func (o object) has(key string) bool {
	v, ok := o[key]
	return ok && kind(v) != "null"
}

// kindOf is the JSON type of o[key] ("absent" when missing).
func (o object) kindOf(key string) string {
	v, ok := o[key]
	if !ok {
		return "absent"
	}
	return kind(v)
}

// str is o[key] as a string ("" when absent or not a string).
func (o object) str(key string) string {
	var s string
	if v, ok := o[key]; ok && kind(v) == "string" {
		_ = json.Unmarshal(v, &s)
	}
	return s
}

// num is o[key] as it was written, when it is a JSON number ("" otherwise).
func (o object) num(key string) string {
	if v, ok := o[key]; ok && kind(v) == "number" {
		return string(bytes.TrimSpace(v))
	}
	return ""
}

// obj is o[key] as an object (nil when absent or not an object).
func (o object) obj(key string) object { return asObject(o[key]) }

// keys returns the object's keys, sorted.
func (o object) keys() []string {
	ks := make([]string, 0, len(o))
	for k := range o {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// missing returns the keys of want the object lacks (null counts as lacking).
func (o object) missing(want ...string) []string {
	var out []string
	for _, k := range want {
		if !o.has(k) {
			out = append(out, k)
		}
	}
	return out
}

// quoteList joins values for a "seen" text.
func quoteList(vs []string) string { return strings.Join(vs, ", ") }

// uniq returns the distinct values in first-seen order.
func uniq(vs []string) []string {
	var out []string
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
