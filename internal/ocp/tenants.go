package ocp

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// tenantPageSize is the page size ListTenants asks for (OCP allows up to 2000).
const tenantPageSize = 100

// GetTenant returns a tenant's detail: GET /ob/clusters/{clusterId}/tenants/{tenantId}.
// An unknown tenant is an error for which IsNotFound is true.
func (c *Client) GetTenant(ctx context.Context, clusterID, tenantID int64) (*Tenant, error) {
	var t Tenant
	if err := c.get(ctx, fmt.Sprintf("/ob/clusters/%d/tenants/%d", clusterID, tenantID), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// ListTenants returns every tenant of a cluster, following all pages: GET /ob/clusters/{clusterId}/tenants
// [doc], a paged list whose items are [assumed] the tenant detail's objects (so that the DR fields come
// with them where OCP sends them). A tenant listed twice (the list shifted between pages) is kept once;
// a tenant whose item leaves out its cluster gets the cluster asked for. An unknown cluster is an error
// for which IsNotFound is true.
func (c *Client) ListTenants(ctx context.Context, clusterID int64) ([]Tenant, error) {
	path := fmt.Sprintf("/ob/clusters/%d/tenants", clusterID)
	q := url.Values{"size": {strconv.Itoa(tenantPageSize)}}
	var all []Tenant
	seen := map[int64]bool{}
	for page := 1; ; page++ {
		q.Set("page", strconv.Itoa(page))
		var data listData[Tenant]
		if err := c.get(ctx, path, q, &data); err != nil {
			return nil, err
		}
		for _, t := range data.Contents {
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			if t.ClusterID == 0 {
				t.ClusterID = clusterID
			}
			all = append(all, t)
		}
		if !morePages(data.Page, page, len(data.Contents)) {
			return all, nil
		}
	}
}

// GetCluster returns a cluster's detail: GET /ob/clusters/{clusterId}.
// An unknown cluster is an error for which IsNotFound is true.
func (c *Client) GetCluster(ctx context.Context, clusterID int64) (*Cluster, error) {
	var cl Cluster
	if err := c.get(ctx, fmt.Sprintf("/ob/clusters/%d", clusterID), nil, &cl); err != nil {
		return nil, err
	}
	return &cl, nil
}
