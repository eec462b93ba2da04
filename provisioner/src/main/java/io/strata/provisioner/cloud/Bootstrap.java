package io.strata.provisioner.cloud;

/**
 * A machine's first-boot script, rendered from {@code terraform/templates/}.
 *
 * @param userData Linux: the cloud-init document; Windows: the PowerShell script (OpenStack
 *     prefixes it with {@code #ps1_sysnative} for cloudbase-init)
 * @param secrets Windows on Azure: the command the CustomScriptExtension runs, which carries the
 *     whole script (join token included) and therefore goes in protectedSettings, the script then
 *     sent as nothing else; null on Linux
 */
public record Bootstrap(String userData, String secrets) {}
