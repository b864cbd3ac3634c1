using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cake.Core;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>What a planning run records beside a saved plan: where it is for, the state it was made against, and a keyed seal over all of it.</summary>
public sealed record PlanSealRecord(int Version, string Environment, string Folder, long? StateSerial, string? StateLineage, string Sha256, string Mac);

/// <summary>
/// Seals a reviewed plan with HMAC-SHA256 under a key the build keeps outside
/// the artifacts: PLATFORM_PLAN_SEAL_KEY (base64, e.g. a CI secret shared by the
/// plan and apply jobs) or a 0600 file (PLATFORM_PLAN_SEAL_KEY_FILE, by default
/// ~/.config/platform/plan-seal.key, created on first use). A plan whose bytes,
/// environment, folder or state do not match its seal is never applied; a seal
/// anyone could recompute (a bare checksum) would prove nothing.
/// </summary>
public static class PlanSeal
{
    public const string KeyVariable = "PLATFORM_PLAN_SEAL_KEY";
    public const string KeyFileVariable = "PLATFORM_PLAN_SEAL_KEY_FILE";
    public const string Extension = ".seal";

    /// <summary>The key, or why there is none. <paramref name="create"/>: make a key file when none exists (planning only).</summary>
    public static (byte[]? Key, string? Problem) Key(ICakeEnvironment environment, bool create)
    {
        if (environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } encoded)
        {
            try
            {
                var key = Convert.FromBase64String(encoded.Trim());
                return key.Length >= 32 ? (key, null) : (null, $"{KeyVariable} holds {key.Length} bytes: give 32 or more (openssl rand -base64 32)");
            }
            catch (FormatException)
            {
                return (null, $"{KeyVariable} is not base64: give 32 random bytes in base64 (openssl rand -base64 32)");
            }
        }

        var home = environment.GetEnvironmentVariable("HOME") ?? string.Empty;
        var path = environment.GetEnvironmentVariable(KeyFileVariable) is { Length: > 0 } named ? named : Path.Combine(home, ".config", "platform", "plan-seal.key");
        if (!File.Exists(path))
        {
            if (!create)
            {
                return (null, $"no plan seal key ({path}, or {KeyVariable}): the plan was sealed with a key this machine does not have; plan here again, or give the planning run's key");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fresh = RandomNumberGenerator.GetBytes(32);

            // CreateNew refuses an existing path, a symlink included: the key is never written through a link.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, options);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh)));
            return (fresh, null);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            return (null, $"{path} can be read or written by others: chmod 600 it (whoever can read it can seal any plan)");
        }

        try
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length >= 32 ? (key, null) : (null, $"{path} holds {key.Length} bytes: give 32 or more");
        }
        catch (FormatException)
        {
            return (null, $"{path} is not base64: give 32 random bytes in base64 (openssl rand -base64 32)");
        }
    }

    public static PlanSealRecord Create(byte[] key, string environment, string folder, long? serial, string? lineage, string planFile)
    {
        var sha = Checksum(planFile);
        return new PlanSealRecord(1, environment, folder, serial, lineage, sha, Mac(key, environment, folder, serial, lineage, sha));
    }

    /// <summary>Why the plan may not be applied with this seal, or null: bytes, seal, environment and folder, before anything reaches the backend.</summary>
    public static string? Refusal(byte[] key, PlanSealRecord? seal, string planFile, string environment, string folder)
    {
        if (seal is null)
        {
            return "no seal beside it: not a plan this build saved and checked";
        }

        var sha = Checksum(planFile);
        var expected = Mac(key, seal.Environment, seal.Folder, seal.StateSerial, seal.StateLineage, seal.Sha256);
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(expected), TryHex(seal.Mac)))
        {
            return "its seal does not verify with this build's key: not a plan this build saved and checked (or sealed under another key)";
        }

        if (seal.Sha256 != sha)
        {
            return "the plan changed since it was sealed: not a plan this build saved and checked";
        }

        return seal.Environment != environment || seal.Folder != folder
            ? $"was planned for {seal.Environment} in {seal.Folder}, not for {environment} in {folder}"
            : null;
    }

    public static void Write(string path, PlanSealRecord seal) => SafeFile.WritePrivate(path, JsonSerializer.Serialize(seal));

    public static PlanSealRecord? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<PlanSealRecord>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The serial and lineage of a state (terraform state pull), or nulls when there is no state yet.</summary>
    public static (long? Serial, string? Lineage) StateVersion(string? stateJson)
    {
        if (string.IsNullOrWhiteSpace(stateJson))
        {
            return (null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(stateJson);
            var root = json.RootElement;
            return (root.TryGetProperty("serial", out var s) && s.TryGetInt64(out var serial) ? serial : null,
                root.TryGetProperty("lineage", out var l) ? l.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Mac(byte[] key, string environment, string folder, long? serial, string? lineage, string sha) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"platform-plan-seal v1\n{environment}\n{folder}\n{serial}\n{lineage}\n{sha}")));

    private static string Checksum(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static byte[] TryHex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
