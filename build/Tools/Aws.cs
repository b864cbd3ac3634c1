using Amazon;
using Amazon.SimpleSystemsManagement;

namespace Platform.Build.Tools;

/// <summary>The AWS API clients the build uses, made in one place (credentials from the SDK's default chain).</summary>
public static class Aws
{
    public static IAmazonSimpleSystemsManagement SystemsManager(string region) =>
        new AmazonSimpleSystemsManagementClient(RegionEndpoint.GetBySystemName(region));
}
