package sfclient

// fixedDiagnoses are the codes whose headline, hint and suspect field do
// not depend on the attempt: one row a diagnosis, with every code it
// explains.
var fixedDiagnoses = []struct {
	codes []Code
	d     diagnosis
}{
	{[]Code{CodeChallengeIssued, CodeChallengePending}, diagnosis{"Salesforce wants to verify this computer",
		"Salesforce does not recognise this computer or network (computer activation). Add your security token, or sign in once with a browser on this computer and enter the verification code Salesforce sends you, then test again.", FieldToken}},
	{[]Code{CodePasswordLockout}, diagnosis{"Your Salesforce user is locked out",
		"Too many failed logins locked your user. Wait until the lockout ends (your admin sets how long, often 15 to 30 minutes) or ask your Salesforce admin to unlock you. An add-in that keeps retrying an old password or token keeps you locked: fix the saved credentials first.", FieldAccount}},
	{[]Code{CodeRestrictedTime}, diagnosis{"Outside your allowed login hours",
		"Your profile allows logins only during set hours, and now is outside them. Try again during your login hours, or ask your Salesforce admin to change them.", FieldAccount}},
	{[]Code{CodeRestrictedDomain}, diagnosis{"Login not allowed from this network",
		"Your profile allows logins only from certain IP addresses (Login IP Ranges). Connect from the office or through the firm's VPN and test again. Users with Login IP Ranges do not get a security token: leave that field empty.", FieldNetwork}},
	{[]Code{CodeAPIDisabledForOrg}, diagnosis{"API access is turned off for your org or user",
		"The add-ins need API access: your org's edition must include it and your profile needs the “API Enabled” permission. Ask your Salesforce admin or AdvoLogix support.", FieldAccount}},
	{[]Code{CodeAPICurrentlyDisabled}, diagnosis{"Salesforce's API is temporarily unavailable",
		"Salesforce has switched API access off for a while because of a problem on its side. Check status.salesforce.com and test again later.", FieldNone}},
	{[]Code{CodeRequestLimitExceeded, CodeLoginRateExceeded, CodeOAuthRateLimitExceeded}, diagnosis{"Too many logins or requests",
		"Salesforce's limit for your user or org has been reached. Wait (login limits reset within an hour) and test again. If something keeps logging in with old credentials, such as an add-in on another computer, update it too.", FieldAccount}},
	{[]Code{CodeUnsupportedAPIVersion}, diagnosis{"SOAP login is retired or switched off for this org",
		"Salesforce answered that SOAP login() is not available: it is gone from API 65.0, retires in Summer ’27, and is off by default in orgs created from Winter ’26. " + browserSignIn + ".", FieldAdvanced}},
	{[]Code{CodeInvalidOperation}, diagnosis{"Salesforce refused this kind of login",
		"Salesforce does not allow this login operation here. If SOAP login() is switched off for your org (the default in orgs created from Winter ’26), " + lowerFirst(browserSignIn) + ".", FieldAdvanced}},
	{[]Code{CodeOrgLocked, CodeOrgSuspended, CodeTrialExpired, CodeOAuthInactiveOrg}, diagnosis{"Your Salesforce org is locked or inactive",
		"Salesforce says the org itself cannot be used right now. Contact your Salesforce admin or AdvoLogix support.", FieldAccount}},
	{[]Code{CodeOrgInMaintenance}, diagnosis{"Salesforce is in maintenance", "Your org is in a maintenance window. Try again later; status.salesforce.com shows the schedule.", FieldNone}},
	{[]Code{CodeUserInactive, CodeOAuthInactiveUser}, diagnosis{"Your Salesforce user is deactivated", "Salesforce says this user is not active. Ask your Salesforce admin to reactivate it, or check the username.", FieldUsername}},
	{[]Code{CodeSSOServiceDown, CodeInvalidSSOGatewayURL}, diagnosis{"Your org signs in through single sign-on",
		"Your user logs in through your firm's single sign-on, which did not accept this password. " + browserSignIn + ".", FieldAdvanced}},
	{[]Code{CodeOAuthInvalidClientID}, diagnosis{"The connected app's client id is not recognised",
		"Check the client id (consumer key) under Advanced: it must belong to a connected app or External Client App in this org and environment (a sandbox may have a different one). A new app can take up to 10 minutes to work.", FieldAdvanced}},
	{[]Code{CodeOAuthInvalidClient}, diagnosis{"The connected app's client secret was refused",
		"This app requires its consumer secret. Set the ADVOLOGIX_CLIENT_SECRET environment variable to it (or save it with the profile), or ask your admin to make the app a public client.", FieldAdvanced}},
	{[]Code{CodeOAuthUnsupportedGrantType}, diagnosis{"This app does not allow this kind of login",
		"The connected app or org does not allow the OAuth username-password flow. Switch the method to SOAP login() while it lasts, or " + lowerFirst(browserSignIn) + ".", FieldAdvanced}},
	{[]Code{CodeOAuthAccessDenied}, diagnosis{"Access was not allowed in the browser",
		"The sign-in page was closed or “Deny” was chosen. Sign in again and choose “Allow”.", FieldNone}},
	{[]Code{CodeOAuthRedirectURIMismatch}, diagnosis{"The app's callback URL does not match",
		"The connected app must list this app's callback URL exactly (see the README: http://localhost:7890/OauthRedirect). Ask your admin to add it.", FieldAdvanced}},
	{[]Code{CodeOAuthInvalidRequest, CodeOAuthInvalidScope}, diagnosis{"Salesforce refused the request", "The connected app's settings do not fit this request. Ask your Salesforce admin to check the app (OAuth scopes and flows).", FieldAdvanced}},
	{[]Code{CodeUserInfoRejected}, diagnosis{"Logged in, but the token could not be verified",
		"Salesforce accepted the login but refused its userinfo service to this token. The connected app needs the “openid” or “Access the identity URL service” scope; ask your admin to add it.", FieldAdvanced}},
	{[]Code{CodeServerUnavailable}, diagnosis{"Salesforce is not answering normally",
		"The login service answered with a server error. It is usually temporary: check status.salesforce.com and try again later.", FieldNone}},
	{[]Code{CodeUnexpectedResponse}, diagnosis{"The answer did not come from Salesforce",
		"Check the login address (environment, or your My Domain).", FieldEnvironment}},
	{[]Code{CodeCanceled}, diagnosis{"Check cancelled", "", FieldNone}},
}

// fixedDiagnosis looks code up in fixedDiagnoses.
func fixedDiagnosis(code Code) (diagnosis, bool) {
	for _, row := range fixedDiagnoses {
		for _, c := range row.codes {
			if c == code {
				return row.d, true
			}
		}
	}
	return diagnosis{}, false
}
