//go:build !unix

package acctest

import "os/exec"

// ownProcessGroup does nothing where process groups are not available.
func ownProcessGroup(*exec.Cmd) {}

// killProcessGroup kills terraform alone; its provider exits when terraform's connection closes.
func killProcessGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
