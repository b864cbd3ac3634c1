using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>Rewrites the README's architecture block (Mermaid diagrams and tables) from the offline plans, the Applications and the tenant catalog.</summary>
[OfflineTarget(RunMode.Validate)]
[TaskDescription("ArchitectureDocs: writes the README's architecture diagrams and tables from the offline plans, the Argo CD Applications and the tenant catalog")]
public sealed class ArchitectureDocs : PlatformTask
{
    public const string Item = "README architecture written";

    protected override void Define(Checklist checklist) => checklist.Offline(Item, c => c.Operations.WriteArchitecture()).Reading(CheckInputs.Writing("the README's architecture block"));
}
