// Command advologix-connect tests and stores the Salesforce credentials that
// the AdvoLogix Outlook and Word add-ins use.
package main

func main() {}
