package provider_test

import (
	"testing"

	"github.com/ocpdr/terraform-provider-ocp/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }
