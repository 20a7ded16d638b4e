import { AppError } from '@esc/service-kit';
import type { DemoUser } from './demo-users';
import { secretsMatch } from './secrets';
import type { ServiceClientRegistry } from './service-clients';
import { userClaims, type IssuedToken, type TokenIssuer } from './token-issuer';

export interface AuthServiceOptions {
  issuer: TokenIssuer;
  users: readonly DemoUser[];
  clients: ServiceClientRegistry;
  demoSignIn: boolean;
  demoPassword: string;
}

export class AuthService {
  private readonly usersByName: Map<string, DemoUser>;
  private readonly usersById: Map<string, DemoUser>;

  constructor(private readonly options: AuthServiceOptions) {
    this.usersByName = new Map(options.users.map((u) => [u.username, u]));
    this.usersById = new Map(options.users.map((u) => [u.id, u]));
  }

  signIn(username: string, password: string): { token: IssuedToken; user: DemoUser } {
    const user = this.authenticateDemoUser(username, password);
    return { token: this.options.issuer.issue(userClaims(user)), user };
  }

  /** Checks a demo user's credentials without issuing a token (web sessions issue their own). */
  authenticateDemoUser(username: string, password: string): DemoUser {
    this.ensureDemoSignIn();
    const user = this.usersByName.get(username.trim().toLowerCase());
    const passwordOk = secretsMatch(password, this.options.demoPassword);
    if (!user || !passwordOk) {
      throw new AppError('unauthenticated', 'invalid_credentials', 'Неверное имя пользователя или пароль.');
    }
    return user;
  }

  get demoSignInEnabled(): boolean {
    return this.options.demoSignIn;
  }

  issueServiceToken(clientId: string, clientSecret: string, requestedScope?: string): { token: IssuedToken; scopes: string[] } {
    const { client, scopes } = this.options.clients.grant(clientId, clientSecret, requestedScope);
    const token = this.options.issuer.issue({ sub: `service:${client.clientId}`, typ: 'service', roles: [], scope: scopes.join(' '), client_id: client.clientId });
    return { token, scopes };
  }

  listDemoUsers(): readonly DemoUser[] {
    this.ensureDemoSignIn();
    return this.options.users;
  }

  findUser(subject: string): DemoUser | undefined {
    return this.usersById.get(subject);
  }

  private ensureDemoSignIn(): void {
    if (!this.options.demoSignIn) {
      throw new AppError('forbidden', 'demo_sign_in_disabled', 'Демонстрационный вход отключён на этом стенде (DEMO_SIGN_IN=false).');
    }
  }
}
