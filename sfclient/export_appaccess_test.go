package sfclient

// ExplainForTest fills a browser sign-in Result's headline, hint and
// suspect field from its code, as a check does.
func ExplainForTest(r *Result) {
	diagnose(r, diagInput{method: MethodOAuthBrowser, host: LoginURL{URL: ProductionLoginURL, Host: "login.salesforce.com", Kind: HostProduction}})
}
