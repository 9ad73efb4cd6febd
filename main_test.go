package main

import "testing"

func TestQuietUnreadLogs(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string // the variables afterwards; "" means unset
	}{
		{"nothing set: Terraform shows nothing", map[string]string{}, map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_PROVIDER": "OFF",
			"TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_SDK_PROTO": "OFF"}},
		{"TF_LOG level", map[string]string{"TF_LOG": "info"}, map[string]string{"TF_LOG_SDK": "INFO", "TF_LOG_PROVIDER": "INFO",
			"TF_LOG_SDK_FRAMEWORK": "INFO", "TF_LOG_SDK_PROTO": "INFO"}},
		{"TF_LOG_PROVIDER wins", map[string]string{"TF_LOG": "trace", "TF_LOG_PROVIDER": "warn"}, map[string]string{"TF_LOG_SDK": "WARN", "TF_LOG_PROVIDER": "warn"}},
		{"explicit SDK level kept, and followed by its subsystems", map[string]string{"TF_LOG_SDK": "trace"},
			map[string]string{"TF_LOG_SDK": "trace", "TF_LOG_PROVIDER": "OFF", "TF_LOG_SDK_FRAMEWORK": "trace", "TF_LOG_SDK_PROTO": "trace"}},
		{"explicit subsystem level kept", map[string]string{"TF_LOG_SDK_FRAMEWORK": "debug"},
			map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_FRAMEWORK": "debug", "TF_LOG_SDK_PROTO": "OFF"}},
		{"TF_LOG=JSON means TRACE", map[string]string{"TF_LOG": "JSON"}, map[string]string{"TF_LOG_SDK": "", "TF_LOG_PROVIDER": "",
			"TF_LOG_SDK_FRAMEWORK": "", "TF_LOG_SDK_PROTO": ""}},
		{"unknown value means TRACE", map[string]string{"TF_LOG": "1"}, map[string]string{"TF_LOG_SDK": "", "TF_LOG_PROVIDER": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			quietUnreadLogs(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			for k, want := range tc.want {
				if env[k] != want {
					t.Errorf("%s = %q, want %q", k, env[k], want)
				}
			}
		})
	}
}
