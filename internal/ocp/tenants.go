package ocp

import (
	"context"
	"fmt"
)

// GetTenant returns a tenant's detail: GET /ob/clusters/{clusterId}/tenants/{tenantId}.
// An unknown tenant is an error for which IsNotFound is true.
func (c *Client) GetTenant(ctx context.Context, clusterID, tenantID int64) (*Tenant, error) {
	var t Tenant
	if err := c.get(ctx, fmt.Sprintf("/ob/clusters/%d/tenants/%d", clusterID, tenantID), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
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
