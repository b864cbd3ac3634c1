namespace Platform.Build.Core.Context;

/// <summary>Where things are, for the environment of this run. All paths are absolute.</summary>
public sealed class PlatformPaths(string root, string environment)
{
    public string Root { get; } = root;
    public string Environment { get; } = environment;

    public string Spec => Combine("specs/platform/tasks.md");
    public string Terraform => Combine("terraform");
    public string TerraformModules => Combine("terraform/modules");
    public string TerraformEnvironment => Combine($"terraform/environments/{Environment}");

    /// <summary>Written by Task 1.6 (<c>terraform output -json</c>), read by the Ansible inventory; ignored by git.</summary>
    public string TerraformOutputs => Combine($"terraform/outputs/{Environment}-terraform-outputs.json");

    public string Ansible => Combine("ansible");
    public string AnsibleInventory => Combine($"ansible/inventory/{Environment}");
    public string Kubernetes => Combine("kubernetes");
    public string Artifacts => Combine("artifacts");
    public string Reports => Combine("artifacts/reports");

    /// <summary>Generated secrets (kubeconfig, admin passwords): 0600 files in an ignored folder.</summary>
    public string Secrets => Combine($".secrets/{Environment}");

    public string Combine(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative));

    /// <summary>A path as the user sees it: relative to the repository root.</summary>
    public string Relative(string path) => System.IO.Path.GetRelativePath(Root, path).Replace('\\', '/');
}
