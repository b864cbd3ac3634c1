using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Build.Tenancy.Projects;

/// <summary>
/// Glob matching as Argo CD does it for projects (gobwas/glob): <c>*</c>, <c>?</c>,
/// <c>[abc]</c>, <c>[!abc]</c>, <c>[a-z]</c>, <c>{a,b}</c>; with a separator
/// (source repositories use '/'), <c>*</c> and <c>?</c> stop at it and <c>**</c> crosses it.
/// A pattern that does not compile matches nothing, as in Argo CD.
/// </summary>
public static class ArgoGlob
{
    private static readonly ConcurrentDictionary<(string, char?), Regex?> Cache = new();

    public static bool Match(string pattern, string text, char? separator = null)
    {
        var regex = Cache.GetOrAdd((pattern, separator), key => Compile(key.Item1, key.Item2));
        return regex?.IsMatch(text) == true;
    }

    private static Regex? Compile(string pattern, char? separator)
    {
        var any = separator is { } s ? $"[^{Regex.Escape(s.ToString())}]" : ".";
        var text = new StringBuilder("^");
        var braces = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    text.Append(".*");
                    i++;
                    break;
                case '*':
                    text.Append(any).Append('*');
                    break;
                case '?':
                    text.Append(any);
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        return null;
                    }

                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('!');
                    text.Append('[').Append(negate ? "^" : string.Empty).Append(Regex.Escape(negate ? body[1..] : body).Replace("\\-", "-", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '{':
                    braces++;
                    text.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    text.Append(')');
                    break;
                case ',' when braces > 0:
                    text.Append('|');
                    break;
                case '\\' when i + 1 < pattern.Length:
                    text.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    text.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        if (braces != 0)
        {
            return null;
        }

        try
        {
            return new Regex(text.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
