import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest) {
  try {
    const session = await getServerSession(authOptions)
    const params = new URLSearchParams(request.nextUrl.searchParams)
    if (session?.user?.tenant_id) {
      params.append('tenant_id', session.user.tenant_id)
    }
    const headers: HeadersInit = {}
    if (session?.access_token) {
      headers['Authorization'] = `Bearer ${session.access_token}`
    } else if (request.headers.get('authorization')) {
      headers['Authorization'] = request.headers.get('authorization')!
    }

    const response = await fetch(`${BRAIN_API_URL}/api/crm/contacts/?${params.toString()}`, { headers, cache: 'no-store' })
    return NextResponse.json(await response.json())
  } catch (error) {
    return NextResponse.json({ error: 'Failed to fetch contacts' }, { status: 500 })
  }
}
