using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Platform.Build.Tools;

/// <summary>
/// Whether this machine can reach any network at all, told from its routing
/// table (no address is contacted, nothing is named): without a default route,
/// an item that must download (packages into the converge root) is Skipped
/// with the reason, never Failed - Validate runs without a network.
/// </summary>
public static class Network
{
    /// <summary>Why there is no network, or null when there is a default route.</summary>
    public static string? Unavailable(string procNet = "/proc/net")
    {
        var ipv4 = Path.Combine(procNet, "route");
        var ipv6 = Path.Combine(procNet, "ipv6_route");
        if (!File.Exists(ipv4) && !File.Exists(ipv6))
        {
            return null; // not Linux, or no /proc: assume a network, as before
        }

        return HasDefaultV4(ipv4) || HasDefaultV6(ipv6) ? null : "this machine has no network (no default route)";
    }

    // /proc/net/route: Iface Destination Gateway Flags ...; the default route has Destination 00000000 and RTF_UP.
    private static bool HasDefaultV4(string path) =>
        File.Exists(path) && File.ReadLines(path).Skip(1).Select(l => l.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Any(f => f.Length > 3 && f[1] == "00000000" && int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) && (flags & 1) != 0);

    // /proc/net/ipv6_route: destination, prefix length, ..., device last; ::/0 on anything but lo.
    private static bool HasDefaultV6(string path) =>
        File.Exists(path) && File.ReadLines(path).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f.Length >= 10 && f[0] == new string('0', 32) && f[1] == "00" && f[^1] != "lo");

    /// <summary>Connects to port 22 and reads the SSH banner: can the node be reached over SSH.</summary>
    public static async Task<(string Address, string? Banner, string? Error)> SshBanner(string address, TimeSpan timeout)
    {
        try
        {
            using var client = new TcpClient();
            using var cancel = new CancellationTokenSource(timeout);
            await client.ConnectAsync(address, 22, cancel.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await client.GetStream().ReadAsync(buffer, cancel.Token).ConfigureAwait(false);
            var banner = Encoding.ASCII.GetString(buffer, 0, read).Trim();
            return banner.StartsWith("SSH-", StringComparison.Ordinal) ? (address, banner, null) : (address, null, $"no SSH banner ('{banner}')");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return (address, null, e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message);
        }
    }
}
