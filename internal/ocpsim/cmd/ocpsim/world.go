package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// writeWorld lists a scenario's clusters and tenants (id, name, role, relation, cluster) so that a
// newcomer sees which ids the docs and examples use.
func writeWorld(out io.Writer, sc *ocpsim.Scenario) {
	names := map[int64]string{}
	for _, c := range sc.Clusters {
		names[c.ID] = c.Name
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  cluster\tname\ttype\trelation\tOBProxy cluster")
	for _, c := range sc.Clusters {
		relation := ""
		if c.Type == ocpsim.ClusterStandby {
			relation = "standby of " + strconv.FormatInt(c.PrimaryClusterID, 10)
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Type, relation, c.OBProxyCluster)
	}
	_ = tw.Flush()
	fmt.Fprintln(out)
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  tenant\tname\trole\trelation\tcluster")
	for _, t := range sc.Tenants {
		relation := ""
		if t.TenantRole == ocpsim.RoleStandby {
			relation = "standby of " + strconv.FormatInt(t.PrimaryTenantID, 10)
			if t.LogSyncDelayMillis != nil {
				relation += fmt.Sprintf(", %d ms", *t.LogSyncDelayMillis)
			}
			if t.SyncStatus != "" && t.SyncStatus != ocpsim.SyncNormal {
				relation += ", " + t.SyncStatus
			}
		}
		if t.Down {
			relation = joinNonEmpty(relation, "DOWN (its standbys can be failed over)")
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%d %s\n", t.ID, t.Name, t.TenantRole, relation, t.ClusterID, names[t.ClusterID])
	}
	_ = tw.Flush()
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
