using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Core.Checks;

/// <summary>Linters shared by the trees (ansible/, kubernetes/), each with the tree's own configuration.</summary>
public static class LintChecks
{
    /// <summary><c>yamllint --strict</c> over a tree, with the <c>.yamllint</c> at its top.</summary>
    public static Outcome Yamllint(BuildContext context, string folder)
    {
        var root = context.Paths.Combine(folder);
        if (!File.Exists(Path.Combine(root, ".yamllint")))
        {
            return Outcome.NotImplemented($"{folder}/.yamllint does not exist");
        }

        var result = context.RunCommand("yamllint", new PlatformToolSettings { WorkingDirectory = root }, "--strict", "--format", "parsable", ".");
        return result.Succeeded ? Outcome.Pass($"yamllint --strict: no findings in {folder}/") : Outcome.Fail(result.Tail());
    }
}
