package connection

// This file holds the salesforce check of Diagnose: does the login host answer
// with Salesforce's list of API versions.

import (
	"context"
	"fmt"
	"time"

	"github.com/advologix/advologix-connect/sfclient"
)

func (d *diag) checkSalesforce() (CheckStatus, string) {
	if !d.usable() {
		return d.skipNoHost()
	}
	c, err := sfclient.New(Config(*d.profile, d.o.Timeout))
	if err != nil {
		return CheckFail, "the profile cannot be used: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(d.ctx, d.o.Timeout)
	defer cancel()
	start := time.Now()
	pr := c.Probe(ctx)
	ms := time.Since(start).Milliseconds()
	switch {
	case pr.Reachable:
		return CheckOK, fmt.Sprintf("GET %s/services/data/ answered with Salesforce's API versions, up to %s (%d ms)", d.login.URL, pr.Latest, ms)
	case pr.Err != nil:
		return CheckFail, fmt.Sprintf("GET %s/services/data/ failed: %s", d.login.URL, transportReason(pr.Err))
	}
	return CheckFail, fmt.Sprintf("GET %s/services/data/ answered %s, not Salesforce's API list: this address is not Salesforce, or something on the network (a proxy, filter or Wi-Fi sign-in page) answers in its place", d.login.URL, pr.Answer)
}
