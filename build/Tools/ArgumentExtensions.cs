using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

/// <summary>The few shapes every wrapper's command line is made of.</summary>
internal static class ArgumentExtensions
{
    /// <summary>Appends <paramref name="flag"/> when <paramref name="on"/>.</summary>
    public static ProcessArgumentBuilder Flag(this ProcessArgumentBuilder args, bool on, string flag)
    {
        if (on)
        {
            args.Append(flag);
        }

        return args;
    }

    /// <summary>Appends <c>name="value"</c> when there is a value.</summary>
    public static ProcessArgumentBuilder Option(this ProcessArgumentBuilder args, string name, string? value)
    {
        if (value is not null)
        {
            args.AppendSwitchQuoted(name, "=", value);
        }

        return args;
    }

    /// <summary>Appends <c>name="value"</c> once per value.</summary>
    public static ProcessArgumentBuilder Options(this ProcessArgumentBuilder args, string name, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            args.AppendSwitchQuoted(name, "=", value);
        }

        return args;
    }

    /// <summary>Appends <c>name="key=value"</c> per pair, sorted by key so command lines are stable.</summary>
    public static ProcessArgumentBuilder Pairs(this ProcessArgumentBuilder args, string name, IReadOnlyDictionary<string, string> pairs) =>
        args.Options(name, pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Appends a quoted word when there is one.</summary>
    public static ProcessArgumentBuilder Word(this ProcessArgumentBuilder args, string? value)
    {
        if (value is not null)
        {
            args.AppendQuoted(value);
        }

        return args;
    }

    /// <summary>Appends <c>name=value</c> unquoted (for values that need no quoting: numbers, fixed words).</summary>
    public static ProcessArgumentBuilder Plain(this ProcessArgumentBuilder args, string name, string value)
    {
        args.AppendSwitch(name, "=", value);
        return args;
    }

    public static string Seconds(TimeSpan timeout) => $"{(int)timeout.TotalSeconds}s";
}
