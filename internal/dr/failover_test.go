package dr

import (
	"strings"
	"testing"
)

func TestLossWindow(t *testing.T) {
	t.Parallel()
	d := int64(14883430)
	if got := lossWindow(&d); got != "about 14883430 ms of changes (logSyncDelayMillis)" {
		t.Errorf("lossWindow(14883430) = %q", got)
	}
	if got := lossWindow(nil); !strings.Contains(got, "unknown") {
		t.Errorf("lossWindow(nil) = %q", got)
	}
}
