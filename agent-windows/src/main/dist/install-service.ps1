<#
.SYNOPSIS
  Installs the Strata Windows agent as a Windows service (sc.exe create + recovery options).

.DESCRIPTION
  Registers a service that runs the agent's command line under the Service Control Manager.
  The agent speaks the SCM protocol itself (io.strata.agent.windows.service.WindowsService), so
  the service runs java.exe directly, no wrapper. Recovery: restart after 5 s, 30 s, then every
  60 s; the failure counter resets after a day. The agent never kills its tasks when it stops or
  crashes: they keep running in their job objects and the restarted agent re-attaches to them.

.PARAMETER Name
  Service name (default StrataAgent).
.PARAMETER Command
  The full command line the service runs: java.exe itself (a .cmd wrapper cannot talk to the SCM)
  running the agent with --windows-service, as the bootstrap template does. Required.
.PARAMETER Account
  Service account: LocalSystem (default), "NT AUTHORITY\NetworkService", a virtual account
  "NT SERVICE\StrataAgent", or DOMAIN\user (then also -Password). Tasks run as this account.
.PARAMETER Password
  The password of -Account when it is a real user.
.PARAMETER WorkDir
  The agent's work directory (checkpoints, job markers, the job handle holder's record); created
  and restricted to Administrators, SYSTEM and the service account.

.EXAMPLE
  .\install-service.ps1 -Command '"C:\strata\jre\bin\java.exe" -cp "C:\strata\lib\*" io.strata.cli.Main agent --windows-service --config C:\strata\agent.yaml' -WorkDir C:\strata\work
  (agent.yaml's agent.workDir is C:\strata\work)
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
  [string] $Name = 'StrataAgent',
  [Parameter(Mandatory = $true)] [string] $Command,
  [string] $Account = 'LocalSystem',
  [string] $Password,
  [string] $WorkDir = 'C:\strata\work',
  [string] $DisplayName = 'Strata agent',
  [string] $Description = 'Runs Strata tasks on this machine in Job Objects and Windows containers.'
)
$ErrorActionPreference = 'Stop'

function Invoke-Sc([string[]] $Arguments) {
  & sc.exe @Arguments | Write-Verbose
  if ($LASTEXITCODE -ne 0) {
    throw "sc.exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE"
  }
}

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'Run this script from an elevated (administrator) PowerShell.'
}
if (Get-Service -Name $Name -ErrorAction SilentlyContinue) {
  throw "A service named '$Name' exists already: run uninstall-service.ps1 first."
}

if ($PSCmdlet.ShouldProcess($WorkDir, 'create the work directory')) {
  New-Item -ItemType Directory -Force -Path $WorkDir | Out-Null
  # Only administrators, SYSTEM and the service account may read checkpoints and job markers.
  & icacls.exe $WorkDir /inheritance:r /grant:r 'Administrators:(OI)(CI)F' 'SYSTEM:(OI)(CI)F' | Write-Verbose
  if ($Account -ne 'LocalSystem') {
    & icacls.exe $WorkDir /grant:r "$($Account):(OI)(CI)M" | Write-Verbose
  }
}

$create = @('create', $Name, "binPath=", $Command, 'start=', 'auto', 'DisplayName=', $DisplayName, 'obj=', $Account)
if ($Password) { $create += @('password=', $Password) }
if ($PSCmdlet.ShouldProcess($Name, 'sc.exe create')) {
  Invoke-Sc $create
  Invoke-Sc @('description', $Name, $Description)
  # Restart on failure: 5 s, 30 s, then 60 s; reset the failure count after one day.
  Invoke-Sc @('failure', $Name, 'reset=', '86400', 'actions=', 'restart/5000/restart/30000/restart/60000')
  # Also count a non-zero service-specific exit (a failed start) as a failure.
  Invoke-Sc @('failureflag', $Name, '1')
  # Start after the network and, if installed, the container engine.
  if (Get-Service -Name 'docker' -ErrorAction SilentlyContinue) {
    Invoke-Sc @('config', $Name, 'depend=', 'Tcpip/docker')
  } else {
    Invoke-Sc @('config', $Name, 'depend=', 'Tcpip')
  }
  Start-Service -Name $Name
  Write-Output "Installed and started service '$Name' running as $Account."
}
