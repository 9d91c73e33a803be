// SessionCaller is the README's .NET / VSTO recipe, run by make test
// (internal/testing/clients, under Mono): what an Outlook or Word add-in on
// the .NET Framework 4.x does to reach Salesforce without ever seeing the
// password. It starts `advologix-connect session --json [--profile NAME]`
// with System.Diagnostics.Process, parses its one JSON line with
// DataContractJsonSerializer, and calls the REST API with the access token
// as a bearer token (HttpWebRequest): a SOQL query on Organization and the
// identity URL. On INVALID_SESSION_ID (the session ended) it asks for a new
// session, once, and repeats the request.
//
// Usage: SessionCaller.exe [--profile NAME]
//
// It prints one JSON line per step on standard output, never a token.
// Before the last step it prints {"step":"expire"} and waits for a line on
// standard input, or its end: the test ends the session in between. When
// `session` fails it prints the code and message `session` gave and exits 1.
// It trusts the certificates the system trusts; it never turns validation
// off.
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

[DataContract]
public class Session // `advologix-connect session --json`, schema version 1
{
    [DataMember(Name = "access_token")] public string AccessToken;
    [DataMember(Name = "instance_url")] public string InstanceUrl;
    [DataMember(Name = "id")] public string IdentityUrl;
    [DataMember(Name = "token_type")] public string TokenType;
    [DataMember(Name = "api_version")] public string ApiVersion;
    [DataMember(Name = "username")] public string Username;
    [DataMember(Name = "schema_version")] public int SchemaVersion;
}

[DataContract]
public class Failure // what `session` prints when it hands out no session
{
    [DataMember(Name = "code")] public string Code;
    [DataMember(Name = "message")] public string Message;
}

[DataContract]
public class Organization
{
    [DataMember(Name = "Id")] public string Id;
    [DataMember(Name = "Name")] public string Name;
}

[DataContract]
public class OrganizationQuery
{
    [DataMember(Name = "totalSize")] public int TotalSize;
    [DataMember(Name = "records")] public Organization[] Records;
}

[DataContract]
public class Identity // the identity URL's answer (the fields used here)
{
    [DataMember(Name = "username")] public string Username;
    [DataMember(Name = "user_id")] public string UserId;
    [DataMember(Name = "organization_id")] public string OrganizationId;
}

[DataContract]
public class ApiError // one element of Salesforce's REST error array
{
    [DataMember(Name = "errorCode")] public string ErrorCode;
    [DataMember(Name = "message")] public string Message;
}

public class SessionException : Exception
{
    public SessionException(string message) : base(message) { }
}

public static class SessionCaller
{
    // The exe on PATH; an add-in would use the installed path.
    const string Exe = "advologix-connect";
    static string profile;
    static Session session;
    static int renewals;

    public static T Parse<T>(string json)
    {
        var ser = new DataContractJsonSerializer(typeof(T));
        using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(json)))
            return (T)ser.ReadObject(ms);
    }

    // NewSession runs `advologix-connect session --json`. The arguments
    // hold no secret: the app reads the keychain itself.
    public static Session NewSession()
    {
        var psi = new ProcessStartInfo(Exe, "session --json" + (profile == null ? "" : " --profile " + Quote(profile)))
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        string stdout, stderr;
        int exit;
        using (var p = Process.Start(psi))
        {
            var err = p.StandardError.ReadToEndAsync(); // both pipes at once: no deadlock
            stdout = p.StandardOutput.ReadToEnd();
            // `session` waits at most 45 s for another program's login.
            if (!p.WaitForExit(90000))
            {
                p.Kill();
                throw new SessionException("advologix-connect session: no answer in 90 s");
            }
            stderr = err.Result;
            exit = p.ExitCode;
        }
        if (exit != 0)
        {
            Failure f = null;
            try { f = Parse<Failure>(stdout); } catch (SerializationException) { }
            if (f != null && !string.IsNullOrEmpty(f.Code))
                throw new SessionException("advologix-connect session: " + f.Code + ": " + f.Message);
            throw new SessionException("advologix-connect session: exit " + exit + ": " + stderr.Trim());
        }
        var s = Parse<Session>(stdout);
        if (s.SchemaVersion != 1)
            throw new SessionException("advologix-connect session: schema_version " + s.SchemaVersion + ", this program reads 1");
        return s;
    }

    // Quote makes one Windows command-line argument of a profile name.
    static string Quote(string arg)
    {
        if (arg.IndexOf('"') >= 0 || arg.EndsWith("\\"))
            throw new ArgumentException("profile name with a quote or a trailing backslash");
        return "\"" + arg + "\"";
    }

    // Get sends GET url with the session's token. When Salesforce says the
    // session ended, it gets a new session, once, and sends it again.
    public static T Get<T>(Func<Session, string> url)
    {
        try { return GetOnce<T>(url(session)); }
        catch (WebException e)
        {
            if (!SessionEnded(e)) throw;
        }
        session = NewSession();
        renewals++;
        return GetOnce<T>(url(session));
    }

    static T GetOnce<T>(string url)
    {
        var req = (HttpWebRequest)WebRequest.Create(url);
        req.Headers[HttpRequestHeader.Authorization] = session.TokenType + " " + session.AccessToken;
        req.Accept = "application/json";
        req.Timeout = 30000;
        using (var resp = (HttpWebResponse)req.GetResponse())
        using (var body = new StreamReader(resp.GetResponseStream(), Encoding.UTF8))
            return Parse<T>(body.ReadToEnd());
    }

    // SessionEnded reports whether e is Salesforce's 401 INVALID_SESSION_ID.
    static bool SessionEnded(WebException e)
    {
        var resp = e.Response as HttpWebResponse;
        if (resp == null || resp.StatusCode != HttpStatusCode.Unauthorized) return false;
        using (var body = new StreamReader(resp.GetResponseStream(), Encoding.UTF8))
        {
            try
            {
                foreach (var err in Parse<ApiError[]>(body.ReadToEnd()))
                    if (err.ErrorCode == "INVALID_SESSION_ID") return true;
            }
            catch (SerializationException) { }
        }
        return false;
    }

    static string QueryUrl(Session s)
    {
        return s.InstanceUrl + "/services/data/v" + s.ApiVersion + "/query?q="
            + Uri.EscapeDataString("SELECT Id, Name FROM Organization");
    }

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--profile") profile = args[1];
        else if (args.Length != 0)
        {
            Console.Error.WriteLine("usage: SessionCaller.exe [--profile NAME]");
            return 2;
        }
        // Salesforce takes TLS 1.2 and later only; .NET Framework before
        // 4.7 does not offer it by default.
        ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
        try
        {
            session = NewSession();
            Report("session", "schema_version", session.SchemaVersion, "token_type", session.TokenType, "username", session.Username);
            var org = Get<OrganizationQuery>(QueryUrl);
            Report("query", "totalSize", org.TotalSize, "id", org.Records[0].Id, "name", org.Records[0].Name);
            var me = Get<Identity>(s => s.IdentityUrl);
            Report("identity", "username", me.Username, "user_id", me.UserId, "organization_id", me.OrganizationId);
            Report("expire");
            Console.In.ReadLine();
            org = Get<OrganizationQuery>(QueryUrl);
            Report("refreshed", "renewals", renewals, "name", org.Records[0].Name);
            return 0;
        }
        catch (SessionException e)
        {
            Console.Error.WriteLine(".NET recipe: " + e.Message);
        }
        catch (WebException e)
        {
            Console.Error.WriteLine(".NET recipe: " + e.Message);
        }
        return 1;
    }

    // Report prints {"step":step, key: value, …} on one line.
    static void Report(string step, params object[] kv)
    {
        var sb = new StringBuilder("{\"step\":").Append(JsonString(step));
        for (int i = 0; i + 1 < kv.Length; i += 2)
        {
            sb.Append(',').Append(JsonString((string)kv[i])).Append(':');
            sb.Append(kv[i + 1] is int ? kv[i + 1].ToString() : JsonString(Convert.ToString(kv[i + 1])));
        }
        Console.WriteLine(sb.Append('}'));
        Console.Out.Flush();
    }

    static string JsonString(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s ?? "")
        {
            if (c == '"' || c == '\\') sb.Append('\\').Append(c);
            else if (c < ' ') sb.AppendFormat("\\u{0:x4}", (int)c);
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
